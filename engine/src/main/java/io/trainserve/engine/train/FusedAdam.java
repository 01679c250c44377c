package io.trainserve.engine.train;

import io.trainserve.engine.nn.NdArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;

/**
 * Adam as one pass over the flat arrays: both moments and the parameter update per element,
 * where ND4J runs its adam_updater op and then a subtraction (two passes, ~1.1 ms per step for the
 * 269k-parameter MLP). Same formula as ND4J's AdamUpdater
 * (step = lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)) and the same state layout
 * ({@code [m | v]}), so checkpoints move freely between the two.
 */
final class FusedAdam {
    private final double beta1, beta2, epsilon;

    FusedAdam(double beta1, double beta2, double epsilon) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    static boolean supports(INDArray params, INDArray state) {
        return params.dataType() == DataType.FLOAT && state != null && state.dataType() == DataType.FLOAT;
    }

    /** @param iteration steps already taken (0 for the first) */
    void step(INDArray paramsArr, INDArray gradsArr, INDArray stateArr, double learningRate, int iteration) {
        int n = (int) paramsArr.length();
        FloatBuffer p = NdArrays.floatBuffer(paramsArr), g = NdArrays.floatBuffer(gradsArr), s = NdArrays.floatBuffer(stateArr);
        double t = iteration + 1;
        double alpha = learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        float b1 = (float) beta1, b2 = (float) beta2, c1 = (float) (1 - beta1), c2 = (float) (1 - beta2);
        float a = (float) alpha, eps = (float) epsilon;
        for (int k = 0; k < n; k++) {
            float gk = g.get(k);
            float m = b1 * s.get(k) + c1 * gk;
            float v = b2 * s.get(n + k) + c2 * gk * gk;
            s.put(k, m);
            s.put(n + k, v);
            p.put(k, p.get(k) - a * m / ((float) Math.sqrt(v) + eps));
        }
    }
}
