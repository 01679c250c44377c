package io.trainserve.engine.nn;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMAE;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * mse / mae with any output activation, through ND4J's loss functions and activations: on one output unit
 * (regression), or on every unit against the input row (an autoencoder; ND4J's mse is the mean over the units).
 */
public final class RegressionLoss implements LossHead {
    private final ILossFunction loss;
    private final IActivation activation;
    private final BatchBuffers<INDArray> labels;

    public RegressionLoss(String name, IActivation activation) {
        this(name, activation, 1);
    }

    /** @param units output units, each with its own target value per row ({@code values} row-major) */
    public RegressionLoss(String name, IActivation activation, int units) {
        this.labels = new BatchBuffers<>(b -> NdArrays.zeros('c', b, units));
        this.loss = switch (name) {
            case "mse" -> new LossMSE();
            case "mae" -> new LossMAE();
            default -> throw new IllegalArgumentException("not a regression loss: " + name);
        };
        this.activation = activation;
    }

    @Override
    public double apply(INDArray z, int[] classes, float[] values, float[] outputs, INDArray dz) {
        int n = (int) z.size(0);
        INDArray y = labels.forBatch(n);
        NdArrays.write(values, 0, y);
        outputs(z, outputs);
        if (dz == null) return loss.computeScore(y, z.dup(), activation, null, true);
        Pair<Double, INDArray> scoreAndGrad = loss.computeGradientAndScore(y, z.dup(), activation, null, true);
        dz.assign(scoreAndGrad.getSecond().divi(n));  // ND4J's gradient is per example; our loss is the batch mean
        return scoreAndGrad.getFirst();
    }

    @Override
    public void outputs(INDArray z, float[] outputs) {
        INDArray a = activation.getActivation(z.dup('c'), false);
        NdArrays.read(a, outputs);
    }

    @Override
    public boolean classification() { return false; }
}
