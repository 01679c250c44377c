package io.trainserve.engine.nn;

import io.trainserve.engine.spec.KerasDefaults;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Keras' Embedding: each of a row's {@code timesteps} values is a token id in {@code [0, inputDim)} and becomes
 * that token's row of a trainable {@code [inputDim, outputDim]} table, so the output is the sequence
 * {@code [timesteps, outputDim]} a recurrent layer (or flatten / global average pooling) reads. Initialized
 * uniform(-0.05, 0.05) as Keras does. The gradient is sparse: only the rows of tokens in the batch receive
 * any. Ids are checked before training and at predict ({@code TokenIds}); an id out of range here is a bug.
 */
public final class EmbeddingLayer extends Layer {
    private final int timesteps, inputDim, outputDim;
    private INDArray params, grads;
    /** The last forward's token ids, {@code [batch * timesteps]}. */
    private int[] ids;

    public EmbeddingLayer(String name, Shape inputShape, int inputDim, int outputDim) {
        super(name, inputShape);
        this.timesteps = inputShape.size();
        this.inputDim = inputDim;
        this.outputDim = outputDim;
    }

    @Override
    public String type() { return "embedding"; }

    @Override
    public Shape outputShape() { return Shape.sequence(timesteps, outputDim); }

    @Override
    public int paramCount() { return inputDim * outputDim; }

    @Override
    public void bind(INDArray params, INDArray grads, INDArray state) {
        this.params = params;
        this.grads = grads;
    }

    @Override
    public void initialize(SplittableRandom rng) {
        double[] p = new double[paramCount()];
        for (int i = 0; i < p.length; i++) p[i] = (rng.nextDouble() * 2 - 1) * KerasDefaults.EMBEDDING_UNIFORM_LIMIT;
        Recurrent.write(p, params);
    }

    @Override
    public INDArray forward(INDArray input, ForwardContext context) {
        int batch = (int) input.size(0);
        double[] x = Recurrent.read(input), table = Recurrent.read(params);
        ids = new int[x.length];
        double[] out = new double[x.length * outputDim];
        for (int i = 0; i < x.length; i++) {
            long id = Math.round(x[i]); // a whole number as float; rounding keeps a perturbed id (gradient checks) the same token
            if (id < 0 || id >= inputDim) throw new IllegalArgumentException("token id " + x[i] + " outside [0, " + inputDim + ")");
            ids[i] = (int) id;
            System.arraycopy(table, ids[i] * outputDim, out, i * outputDim, outputDim);
        }
        return Recurrent.create(out, input, batch, timesteps, outputDim);
    }

    /** Adds each position's gradient into its token's row; the ids themselves have no gradient (zero, if asked). */
    @Override
    public INDArray backward(INDArray epsilon, boolean needInputGradient) {
        double[] e = Recurrent.read(epsilon), dt = new double[paramCount()];
        for (int i = 0; i < ids.length; i++) {
            int row = ids[i] * outputDim;
            for (int k = 0; k < outputDim; k++) dt[row + k] += e[i * outputDim + k];
        }
        Recurrent.write(dt, grads);
        return needInputGradient ? Recurrent.create(new double[ids.length], epsilon, epsilon.size(0), timesteps) : null;
    }

    @Override
    public List<INDArray[]> penalized() {
        return List.<INDArray[]>of(new INDArray[]{params, grads}); // Keras' embeddings_regularizer
    }
}
