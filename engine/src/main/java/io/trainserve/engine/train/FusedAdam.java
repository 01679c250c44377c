package io.trainserve.engine.train;

import io.trainserve.engine.nn.NdArrays;
import io.trainserve.engine.nn.ParallelLoops;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;

/**
 * Adam as one pass over Java arrays: both moments and the parameter update per element. ND4J runs
 * its adam_updater op and then a subtraction (two passes, ~1.15 ms per step for the 269k-parameter
 * MLP); a loop over the native buffers cannot be vectorized by the JIT (~0.87 ms). Here the moments
 * live on the heap, gradients and parameters are bulk-copied in and out, and the loop vectorizes,
 * sqrt and divide included. Same formula as ND4J's AdamUpdater
 * (step = lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)); {@link #store} writes the moments
 * in ND4J's state layout ({@code [m | v]}) so checkpoints and bundles move freely between the two.
 * Large models are updated in contiguous slices on all cores ({@link ParallelLoops}): the pass is
 * bound by memory traffic (5 arrays of 1 MB for the MLP), and two cores move more of it than one.
 */
public final class FusedAdam {
    private final double beta1, beta2, epsilon;
    private float[] m, v, g, p;
    private INDArray loadedFrom;

    FusedAdam(double beta1, double beta2, double epsilon) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    static boolean supports(INDArray params, INDArray state) {
        return params.dataType() == DataType.FLOAT && state != null && state.dataType() == DataType.FLOAT;
    }

    /** @param iteration steps already taken (0 for the first) */
    public void step(INDArray params, INDArray grads, INDArray state, double learningRate, int iteration) {
        if (loadedFrom != state) load(state);
        double t = iteration + 1;
        float a = (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
        FloatBuffer gradBuffer = NdArrays.floatBuffer(grads), paramBuffer = NdArrays.floatBuffer(params);
        int n = p.length;
        ParallelLoops.run(n, 2L * n, (from, to, part) -> {
            // absolute bulk transfers: the parts share the buffers without touching their positions
            gradBuffer.get(from, g, from, to - from);
            paramBuffer.get(from, p, from, to - from);
            update(from, to, a);
            paramBuffer.put(from, p, from, to - from);
        });
    }

    private void update(int from, int to, float a) {
        float b1 = (float) beta1, b2 = (float) beta2, c1 = (float) (1 - beta1), c2 = (float) (1 - beta2), eps = (float) epsilon;
        float[] m = this.m, v = this.v, g = this.g, p = this.p;
        for (int k = from; k < to; k++) {
            float gk = g[k];
            float mk = b1 * m[k] + c1 * gk;
            float vk = b2 * v[k] + c2 * gk * gk;
            m[k] = mk;
            v[k] = vk;
            p[k] -= a * mk / ((float) Math.sqrt(vk) + eps);
        }
    }

    /** Writes the moments into {@code state} ({@code [m | v]}), e.g. before a checkpoint. */
    public void store(INDArray state) {
        if (m == null) return;
        float[] both = new float[2 * m.length];
        System.arraycopy(m, 0, both, 0, m.length);
        System.arraycopy(v, 0, both, m.length, v.length);
        NdArrays.write(both, 0, state);
    }

    private void load(INDArray state) {
        int n = (int) (state.length() / 2);
        float[] both = NdArrays.read(state);
        m = java.util.Arrays.copyOfRange(both, 0, n);
        v = java.util.Arrays.copyOfRange(both, n, 2 * n);
        g = new float[n];
        p = new float[n];
        loadedFrom = state;
    }
}
