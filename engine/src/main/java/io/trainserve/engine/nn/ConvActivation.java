package io.trainserve.engine.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A convolution's element-wise work around its products, one pass each: bias + activation after
 * {@code cols · W}, activation gradient + bias gradient before the backward products. Each pass also
 * converts between the products' channel-major layout (f-ordered {@code [count·P, oC]}: channel, then
 * sample, then window) and the NCHW layout of the neighbouring layers, so the layout change costs no
 * pass of its own.
 *
 * <p>Fused are the sign-preserving activations relu, leaky_relu with alpha ≥ 0 and linear: their
 * output is positive exactly where the pre-activation is, so the derivative is read off the output
 * and the pre-activations are never stored (these passes are memory-bound: a 100 × 32 × 26 × 26
 * float32 batch is 8.6 MB). For other activations the layer runs ND4J's on NCHW arrays and uses a
 * linear instance for the bias. Rows are staged through Java arrays and computed without
 * data-dependent branches ({@code max}/{@code min} and a 0/1 step), so the JIT vectorizes the loops;
 * a branch on the sign of pre-activations mispredicts about half the time (measured 5× slower).
 * The caller splits samples over the cores and names the part, whose staging arrays a call uses;
 * calls for different parts may run at once. The float64 loops are twins of the float32 ones.
 */
final class ConvActivation {
    /** Scales any positive float (even the smallest subnormal) to at least 1, in two steps so neither overflows to NaN. */
    private static final float HUGE_F = 0x1p100f;
    private static final double HUGE_D = 0x1p600;

    private final boolean linear, relu;
    private final double slope;
    private final int windows;
    private final Staging[] staging = new Staging[ParallelLoops.MAX_PARTS];

    /** One part's arrays: three rows and its share of the per-channel bias gradient. */
    private final class Staging {
        float[] aF, bF, cF;
        double[] aD, bD, cD;
        double[] sums;

        float[] rowA() { return aF == null ? aF = new float[windows] : aF; }

        float[] rowB() { return bF == null ? bF = new float[windows] : bF; }

        float[] rowC() { return cF == null ? cF = new float[windows] : cF; }

        double[] rowAD() { return aD == null ? aD = new double[windows] : aD; }

        double[] rowBD() { return bD == null ? bD = new double[windows] : bD; }

        double[] rowCD() { return cD == null ? cD = new double[windows] : cD; }

        float[] planeF, pooledF, pooledGradF;

        /** A conv output plane plus the pad slot a pooling window's padding taps read. */
        float[] plane() { return planeF == null ? planeF = new float[windows + 1] : planeF; }

        float[] pooled(int size) { return pooledF == null || pooledF.length < size ? pooledF = new float[size] : pooledF; }

        float[] pooledGrad(int size) { return pooledGradF == null || pooledGradF.length < size ? pooledGradF = new float[size] : pooledGradF; }

        void clearSums(int channels) {
            if (sums == null) sums = new double[channels];
            Arrays.fill(sums, 0);
        }
    }

    /** @param activation one that {@link #fuses} with this alpha */
    ConvActivation(String activation, double alpha, int windows) {
        if (!fuses(activation, alpha)) throw new IllegalArgumentException("not fused: " + activation + " alpha " + alpha);
        this.linear = activation.equals("linear");
        this.relu = activation.equals("relu");
        this.slope = relu ? 0 : linear ? 1 : alpha; // derivative left of zero
        this.windows = windows;
        for (int i = 0; i < staging.length; i++) staging[i] = new Staging();
    }

    static boolean fuses(String activation, double alpha) {
        return activation.equals("relu") || activation.equals("linear") || (activation.equals("leaky_relu") && alpha >= 0);
    }

    /**
     * out[first + n, c, p] = act(product[n·P + p, c] + bias[c]), on the calling thread with the
     * staging arrays of {@code part} (one part of a loop over samples split by the caller).
     *
     * @param product f-ordered {@code [count·P, oC]}, {@code cols · W}
     * @param out     c-ordered NCHW batch
     */
    void forward(INDArray product, INDArray bias, int first, int count, INDArray out, int part) {
        forward(product, bias, first, count, out, 0, (int) bias.length(), staging[part]);
    }

    /**
     * pooled[first + n, c] = maxpool(act(product[n·P + p, c] + bias[c])), float32, with the positions in
     * {@code argmax} (null for inference): {@link #forward} and the max-pooling layer above in one
     * pass per plane, so the activations (8.6 MB for the benchmark CNN's first layer) are neither
     * written out nor read back. Every value and position is the one the two passes give.
     */
    void forwardPooled(INDArray product, INDArray bias, int first, int count, MaxPooling pooling, INDArray pooled,
                       int[] argmax, int part) {
        forwardPooled(product, bias, first, count, pooling, pooled, argmax, 0, count * (int) bias.length(), staging[part]);
    }

    /** Zeroes the bias gradient sums of parts {@code [0, parts)} before a backward pass's calls. */
    void startBackward(int channels, int parts) {
        for (int part = 0; part < parts; part++) staging[part].clearSums(channels);
    }

    /**
     * dz[n·P + p, c] = eps[first + n, c, p] · act'(z), and the column sums of dz added to the part's
     * bias gradient sums. The derivative is 1 where the forward output {@code out} is positive,
     * else the slope (at 0 too, as ND4J's relu_bp); a linear activation does not read {@code out}.
     * Samples are the outer loop so eps and out are read in memory order (measured 3.1 → 2.4 ms
     * for the benchmark's first layer).
     *
     * @param dz f-ordered {@code [count·P, oC]}
     */
    void backward(INDArray out, INDArray eps, int first, int count, INDArray dz, int channels, int part) {
        backward(out, eps, first, count, dz, channels, 0, count, staging[part]);
    }

    /**
     * {@link #backward} from the gradient of the pooled outputs: each plane's gradient is scattered to
     * its windows' positions as the pooling layer would, and the activation's derivative there is read
     * off the pooled maximum, which is the activation at that position. Elsewhere the gradient is 0
     * whatever the activation was. The same values, bias gradient included, as the two passes.
     */
    void backwardPooled(INDArray pooled, INDArray pooledEps, int[] argmax, MaxPooling pooling, int first, int count,
                        INDArray dz, int channels, int part) {
        backwardPooled(pooled, pooledEps, argmax, pooling, first, count, dz, channels, 0, count, staging[part]);
    }

    /** biasGrad[c] = the sums of parts {@code [0, parts)}, in part order (reproducible), after a backward pass's calls. */
    void finishBackward(INDArray biasGrad, int parts) {
        for (int c = 0; c < biasGrad.length(); c++) {
            double sum = 0;
            for (int part = 0; part < parts; part++) sum += staging[part].sums[c];
            biasGrad.putScalar(c, sum);
        }
    }

    /** Planes {@code [from, to)} of the run, sample-major as the pooled output. */
    private void forwardPooled(INDArray product, INDArray bias, int first, int count, MaxPooling pooling, INDArray pooled,
                               int[] argmax, int from, int to, Staging st) {
        int channels = (int) bias.length(), rows = count * windows, w = windows, pw = pooling.windows();
        FloatBuffer src = NdArrays.floatBuffer(product), b = NdArrays.floatBuffer(bias), dst = NdArrays.floatBuffer(pooled);
        float[] z = st.rowA(), plane = st.plane(), best = st.pooled(pw);
        plane[w] = Float.NEGATIVE_INFINITY; // the pad slot
        for (int q = from; q < to; q++) {
            int n = q / channels, c = q % channels, at = ((first + n) * channels + c) * pw;
            src.get(c * rows + n * w, z, 0, w);
            activate(z, b.get(c), plane, w);
            pooling.poolPlane(plane, best, argmax, at);
            dst.put(at, best, 0, pw);
        }
    }

    /** Samples {@code [from, to)}; their bias gradient goes to the part's sums, in {@link #backward}'s order. */
    private void backwardPooled(INDArray pooled, INDArray pooledEps, int[] argmax, MaxPooling pooling, int first, int count,
                                INDArray dz, int channels, int from, int to, Staging st) {
        int rows = count * windows, w = windows, pw = pooling.windows();
        double[] sums = st.sums;
        FloatBuffer e = NdArrays.floatBuffer(pooledEps), o = NdArrays.floatBuffer(pooled), d = NdArrays.floatBuffer(dz);
        float[] er = st.plane(), a = st.rowB(), g = st.rowC(), pooledGrad = st.pooledGrad(pw), best = st.pooled(pw);
        boolean disjoint = pooling.disjointWindows();
        for (int n = from; n < to; n++) {
            for (int c = 0; c < channels; c++) {
                int at = ((first + n) * channels + c) * pw;
                e.get(at, pooledGrad, 0, pw);
                if (disjoint) { // one gradient entry per window: computed there only, not over the plane
                    if (!linear) o.get(at, best, 0, pw);
                    windowGradients(pooledGrad, best, argmax, at, pw, g, w);
                    d.put(c * rows + n * w, g, 0, w);
                    sums[c] += Sums.sum(g, w);
                    continue;
                }
                MaxPooling.scatter(pooledGrad, pw, argmax, at, er);
                float[] row = er;
                if (!linear) {
                    o.get(at, best, 0, pw);
                    Arrays.fill(a, 0f);
                    for (int p = 0; p < pw; p++) if (argmax[at + p] < w) a[argmax[at + p]] = best[p];
                    gradient(a, er, g, w);
                    row = g;
                }
                d.put(c * rows + n * w, row, 0, w);
                sums[c] += Sums.sum(row, w);
            }
        }
    }

    /**
     * The plane gradient of disjoint pooling windows: 0, but at each window's position its pooled
     * gradient times the activation's derivative there, read off the pooled maximum. The same
     * values as scattering the pooled gradients over a plane of zeros and running {@link #gradient}
     * over it (which adds them to +0 first, so a -0 gradient turns +0 there too).
     */
    private void windowGradients(float[] pooledGrad, float[] best, int[] argmax, int at, int pw, float[] g, int w) {
        float s = (float) slope;
        Arrays.fill(g, 0, w, 0f);
        for (int p = 0; p < pw; p++) {
            int position = argmax[at + p];
            if (position >= w) continue; // a padding tap (pad slot) won: nothing to pass down
            float er = 0f + pooledGrad[p];
            if (linear) {
                g[position] = er;
            } else {
                float a = best[p];
                // gradient()'s step, by a compare: a window at a time there is nothing to vectorize,
                // and Math.max/min cost several instructions each (NaN stays NaN, as there)
                float step = a > 0f ? 1f : a == a ? 0f : a;
                g[position] = step * er + (1 - step) * (s * er);
            }
        }
    }

    /** g = er · act'(z) for p < w, the derivative read off the activations a (float32). */
    private void gradient(float[] a, float[] er, float[] g, int w) {
        float s = (float) slope;
        for (int p = 0; p < w; p++) {
            float step = Math.min(Math.max(a[p] * HUGE_F * HUGE_F, 0f), 1f); // 1 where positive, else 0
            g[p] = step * er[p] + (1 - step) * (s * er[p]);
        }
    }

    /** a[p] = act(z[p] + bias) for p < w, float32, as {@link #forward}. */
    private void activate(float[] z, float bias, float[] a, int w) {
        float s = (float) slope;
        if (linear) {
            for (int p = 0; p < w; p++) a[p] = z[p] + bias;
        } else if (relu) {
            for (int p = 0; p < w; p++) a[p] = Math.max(z[p] + bias, 0f);
        } else {
            for (int p = 0; p < w; p++) a[p] = Math.max(z[p] + bias, 0f) + s * Math.min(z[p] + bias, 0f);
        }
    }

    /** Channels {@code [from, to)}. */
    private void forward(INDArray product, INDArray bias, int first, int count, INDArray out, int from, int to, Staging st) {
        int channels = (int) bias.length(), rows = count * windows, w = windows;
        if (out.dataType() == DataType.FLOAT) {
            FloatBuffer src = NdArrays.floatBuffer(product), b = NdArrays.floatBuffer(bias), dst = NdArrays.floatBuffer(out);
            float[] z = st.rowA(), a = st.rowB();
            for (int c = from; c < to; c++) {
                float bc = b.get(c);
                for (int n = 0; n < count; n++) {
                    src.get(c * rows + n * w, z, 0, w);
                    activate(z, bc, a, w);
                    dst.put(((first + n) * channels + c) * w, a, 0, w);
                }
            }
        } else {
            DoubleBuffer src = NdArrays.doubleBuffer(product), b = NdArrays.doubleBuffer(bias), dst = NdArrays.doubleBuffer(out);
            double[] z = st.rowAD(), a = st.rowBD();
            double s = slope;
            for (int c = from; c < to; c++) {
                double bc = b.get(c);
                for (int n = 0; n < count; n++) {
                    src.get(c * rows + n * w, z, 0, w);
                    if (linear) {
                        for (int p = 0; p < w; p++) a[p] = z[p] + bc;
                    } else if (relu) {
                        for (int p = 0; p < w; p++) a[p] = Math.max(z[p] + bc, 0d);
                    } else {
                        for (int p = 0; p < w; p++) a[p] = Math.max(z[p] + bc, 0d) + s * Math.min(z[p] + bc, 0d);
                    }
                    dst.put(((first + n) * channels + c) * w, a, 0, w);
                }
            }
        }
    }

    /** Samples {@code [from, to)}; their bias gradient goes to the part's sums. */
    private void backward(INDArray out, INDArray eps, int first, int count, INDArray dz, int channels, int from, int to, Staging st) {
        int rows = count * windows, w = windows;
        double[] sums = st.sums;
        if (eps.dataType() == DataType.FLOAT) {
            FloatBuffer e = NdArrays.floatBuffer(eps), d = NdArrays.floatBuffer(dz);
            FloatBuffer ob = linear ? null : NdArrays.floatBuffer(out);
            float[] er = st.rowA(), a = st.rowB(), g = st.rowC();
            for (int n = from; n < to; n++) {
                for (int c = 0; c < channels; c++) {
                    int at = ((first + n) * channels + c) * w;
                    float[] row = er;
                    e.get(at, er, 0, w);
                    if (!linear) {
                        ob.get(at, a, 0, w);
                        gradient(a, er, g, w);
                        row = g;
                    }
                    d.put(c * rows + n * w, row, 0, w);
                    sums[c] += Sums.sum(row, w);
                }
            }
        } else {
            DoubleBuffer e = NdArrays.doubleBuffer(eps), d = NdArrays.doubleBuffer(dz);
            DoubleBuffer ob = linear ? null : NdArrays.doubleBuffer(out);
            double[] er = st.rowAD(), a = st.rowBD(), g = st.rowCD();
            double s = slope;
            for (int n = from; n < to; n++) {
                for (int c = 0; c < channels; c++) {
                    int at = ((first + n) * channels + c) * w;
                    double[] row = er;
                    e.get(at, er, 0, w);
                    if (!linear) {
                        ob.get(at, a, 0, w);
                        for (int p = 0; p < w; p++) {
                            double step = Math.min(Math.max(a[p] * HUGE_D * HUGE_D, 0d), 1d);
                            g[p] = step * er[p] + (1 - step) * (s * er[p]);
                        }
                        row = g;
                    }
                    d.put(c * rows + n * w, row, 0, w);
                    for (int p = 0; p < w; p++) sums[c] += row[p];
                }
            }
        }
    }
}
