package io.trainserve.engine.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * A convolution's element-wise work around its products, one pass each: bias + activation after
 * {@code cols · W}, activation gradient + bias gradient before the backward products. Each pass also
 * converts between the products' channel-major layout (f-ordered {@code [count·P, oC]}: channel, then
 * sample, then window) and the NCHW layout of the neighbouring layers, so the layout change costs no
 * pass of its own.
 *
 * <p>relu, leaky_relu and linear are fused; for other activations the layer runs ND4J's on the NCHW
 * arrays and these passes treat the activation as linear. Rows of P elements are staged through Java
 * arrays and the activation is computed without data-dependent branches ({@code max}/{@code min}
 * and a 0/1 step), so the JIT vectorizes the loops: a branch on the sign of random pre-activations
 * mispredicts half the time (measured 5× slower). Not thread-safe; float64 loops are twins.
 */
final class ConvActivation {
    /** Scales any positive float (even the smallest subnormal) to at least 1, in two steps so neither overflows to NaN. */
    private static final float HUGE_F = 0x1p100f;
    private static final double HUGE_D = 0x1p600;

    private final String activation;
    private final boolean linear, relu;
    private final double slope;
    private final int windows;
    private float[] aF, bF, cF;
    private double[] aD, bD, cD;

    /** @param activation relu, leaky_relu or linear ({@link #fuses}) */
    ConvActivation(String activation, double alpha, int windows) {
        if (!fuses(activation)) throw new IllegalArgumentException("not fused: " + activation);
        this.activation = activation;
        this.linear = activation.equals("linear");
        this.relu = activation.equals("relu");
        this.slope = relu ? 0 : linear ? 1 : alpha; // derivative left of zero
        this.windows = windows;
    }

    static boolean fuses(String activation) {
        return activation.equals("relu") || activation.equals("linear") || activation.equals("leaky_relu");
    }

    String activation() { return activation; }

    /**
     * z[first + n, c, p] = product[n·P + p, c] + bias[c], and a = act(z) unless the activation is linear.
     *
     * @param product f-ordered {@code [count·P, oC]}, {@code cols · W}
     * @param z       c-ordered NCHW batch
     * @param a       c-ordered NCHW batch, or null when linear
     */
    void forward(INDArray product, INDArray bias, int first, int count, INDArray z, INDArray a) {
        int channels = (int) bias.length(), rows = count * windows, w = windows;
        if (z.dataType() == DataType.FLOAT) {
            FloatBuffer src = NdArrays.floatBuffer(product), b = NdArrays.floatBuffer(bias), zb = NdArrays.floatBuffer(z);
            FloatBuffer ab = linear ? null : NdArrays.floatBuffer(a);
            float[] row = rowA(), zr = rowB(), ar = rowC();
            float s = (float) slope;
            for (int c = 0; c < channels; c++) {
                float bc = b.get(c);
                for (int n = 0; n < count; n++) {
                    src.get(c * rows + n * w, row, 0, w);
                    int to = ((first + n) * channels + c) * w;
                    for (int p = 0; p < w; p++) zr[p] = row[p] + bc;
                    zb.put(to, zr, 0, w);
                    if (linear) continue;
                    if (relu) {
                        for (int p = 0; p < w; p++) ar[p] = Math.max(zr[p], 0f);
                    } else {
                        for (int p = 0; p < w; p++) ar[p] = Math.max(zr[p], 0f) + s * Math.min(zr[p], 0f);
                    }
                    ab.put(to, ar, 0, w);
                }
            }
        } else {
            DoubleBuffer src = NdArrays.doubleBuffer(product), b = NdArrays.doubleBuffer(bias), zb = NdArrays.doubleBuffer(z);
            DoubleBuffer ab = linear ? null : NdArrays.doubleBuffer(a);
            double[] row = rowAD(), zr = rowBD(), ar = rowCD();
            double s = slope;
            for (int c = 0; c < channels; c++) {
                double bc = b.get(c);
                for (int n = 0; n < count; n++) {
                    src.get(c * rows + n * w, row, 0, w);
                    int to = ((first + n) * channels + c) * w;
                    for (int p = 0; p < w; p++) zr[p] = row[p] + bc;
                    zb.put(to, zr, 0, w);
                    if (linear) continue;
                    if (relu) {
                        for (int p = 0; p < w; p++) ar[p] = Math.max(zr[p], 0d);
                    } else {
                        for (int p = 0; p < w; p++) ar[p] = Math.max(zr[p], 0d) + s * Math.min(zr[p], 0d);
                    }
                    ab.put(to, ar, 0, w);
                }
            }
        }
    }

    /**
     * dz[n·P + p, c] = eps[first + n, c, p] · act'(z[first + n, c, p]) and biasGrad[c] = the column sums
     * of dz, added to what biasGrad holds when {@code accumulate} (later runs of a batch). The
     * derivative at 0 is the left one, as ND4J's relu_bp. With a linear activation z is not read.
     *
     * @param dz f-ordered {@code [count·P, oC]}
     */
    void backward(INDArray z, INDArray eps, int first, int count, INDArray dz, INDArray biasGrad, boolean accumulate) {
        int channels = (int) biasGrad.length(), rows = count * windows, w = windows;
        if (eps.dataType() == DataType.FLOAT) {
            FloatBuffer e = NdArrays.floatBuffer(eps), d = NdArrays.floatBuffer(dz), bg = NdArrays.floatBuffer(biasGrad);
            FloatBuffer zb = linear ? null : NdArrays.floatBuffer(z);
            float[] er = rowA(), zr = rowB(), g = rowC();
            float s = (float) slope;
            for (int c = 0; c < channels; c++) {
                double sum = accumulate ? bg.get(c) : 0;
                for (int n = 0; n < count; n++) {
                    int from = ((first + n) * channels + c) * w;
                    e.get(from, er, 0, w);
                    if (linear) {
                        System.arraycopy(er, 0, g, 0, w);
                    } else {
                        zb.get(from, zr, 0, w);
                        for (int p = 0; p < w; p++) {
                            float step = Math.min(Math.max(zr[p] * HUGE_F * HUGE_F, 0f), 1f); // 1 where z > 0, else 0
                            g[p] = step * er[p] + (1 - step) * (s * er[p]);
                        }
                    }
                    d.put(c * rows + n * w, g, 0, w);
                    sum += sum(g, w);
                }
                bg.put(c, (float) sum);
            }
        } else {
            DoubleBuffer e = NdArrays.doubleBuffer(eps), d = NdArrays.doubleBuffer(dz), bg = NdArrays.doubleBuffer(biasGrad);
            DoubleBuffer zb = linear ? null : NdArrays.doubleBuffer(z);
            double[] er = rowAD(), zr = rowBD(), g = rowCD();
            double s = slope;
            for (int c = 0; c < channels; c++) {
                double sum = accumulate ? bg.get(c) : 0;
                for (int n = 0; n < count; n++) {
                    int from = ((first + n) * channels + c) * w;
                    e.get(from, er, 0, w);
                    if (linear) {
                        System.arraycopy(er, 0, g, 0, w);
                    } else {
                        zb.get(from, zr, 0, w);
                        for (int p = 0; p < w; p++) {
                            double step = Math.min(Math.max(zr[p] * HUGE_D * HUGE_D, 0d), 1d);
                            g[p] = step * er[p] + (1 - step) * (s * er[p]);
                        }
                    }
                    d.put(c * rows + n * w, g, 0, w);
                    for (int p = 0; p < w; p++) sum += g[p];
                }
                bg.put(c, sum);
            }
        }
    }

    /** Four running sums: one would wait on each addition's latency. */
    private static double sum(float[] v, int length) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            s0 += v[i];
            s1 += v[i + 1];
            s2 += v[i + 2];
            s3 += v[i + 3];
        }
        for (; i < length; i++) s0 += v[i];
        return (double) s0 + s1 + s2 + s3;
    }

    private float[] rowA() { return aF == null ? aF = new float[windows] : aF; }

    private float[] rowB() { return bF == null ? bF = new float[windows] : bF; }

    private float[] rowC() { return cF == null ? cF = new float[windows] : cF; }

    private double[] rowAD() { return aD == null ? aD = new double[windows] : aD; }

    private double[] rowBD() { return bD == null ? bD = new double[windows] : bD; }

    private double[] rowCD() { return cD == null ? cD = new double[windows] : cD; }
}
