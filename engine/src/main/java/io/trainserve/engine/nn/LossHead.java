package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The output layer's activation together with the loss: from the pre-activation {@code z} of the
 * last dense layer it computes the batch's mean loss, the outputs (probabilities or values) and
 * dL/dz. Doing both in one place is what makes softmax + cross-entropy stable and cheap.
 */
public interface LossHead {

    /**
     * @param z       {@code [batch, units]} pre-activations of the output layer
     * @param classes class index per row (classification heads), else null
     * @param values  target per row (regression heads), else null
     * @param outputs receives {@code batch x units} outputs, row-major
     * @param dz      receives dL/dz averaged over the batch; null at evaluation
     * @return mean loss over the batch
     */
    double apply(INDArray z, int[] classes, float[] values, float[] outputs, INDArray dz);

    /** Outputs only (inference): probabilities or values, row-major. */
    void outputs(INDArray z, float[] outputs);

    boolean classification();
}
