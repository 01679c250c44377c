package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;

/**
 * Keras' BatchNormalization on a {@code [timesteps, features]} sequence: one mean and variance per
 * feature over all samples and time steps, done by a {@link BatchNormLayer} on the
 * {@code [batch * timesteps, features]} rows.
 */
public final class SequenceBatchNormLayer extends Layer {
    private final BatchNormLayer rows;

    public SequenceBatchNormLayer(String name, Shape inputShape, double momentum, double epsilon) {
        super(name, inputShape);
        this.rows = new BatchNormLayer(name, Shape.vector(inputShape.features()), momentum, epsilon);
    }

    @Override
    public String type() { return "batch_norm"; }

    @Override
    public Shape outputShape() { return inputShape; }

    @Override
    public int paramCount() { return rows.paramCount(); }

    @Override
    public int stateCount() { return rows.stateCount(); }

    @Override
    public void bind(INDArray params, INDArray grads, INDArray state) {
        rows.bind(params, grads, state);
    }

    @Override
    public void initialize(SplittableRandom rng) {
        rows.initialize(rng);
    }

    @Override
    public INDArray forward(INDArray input, ForwardContext context) {
        int batch = (int) input.size(0);
        INDArray out = rows.forward(input.dup('c').reshape('c', (long) batch * inputShape.timesteps(), inputShape.features()), context);
        return out.dup('c').reshape('c', inputShape.batchShape(batch));
    }

    @Override
    public INDArray backward(INDArray epsilon, boolean needInputGradient) {
        int batch = (int) epsilon.size(0);
        INDArray dx = rows.backward(epsilon.dup('c').reshape('c', (long) batch * inputShape.timesteps(), inputShape.features()),
                needInputGradient);
        return dx == null ? null : dx.dup('c').reshape('c', inputShape.batchShape(batch));
    }
}
