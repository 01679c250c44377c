package io.trainserve.engine.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Max pooling with 2×2 windows at stride 2 and no padding, the common case: straight loops over
 * pairs of plane rows instead of {@link MaxPooling}'s index-table gathers over every tap (which
 * were 38 % of a CNN step's loop time). An odd last row or column belongs to no window and gets no
 * gradient. Same results as {@link MaxPooling}, bit for bit: the maximum is taken in window order
 * (so NaN wins as there), the position is the first tap in window order whose bits equal it, found
 * with masks rather than branches (a branch on which of random values is larger mispredicts).
 *
 * <p>Several planes are staged per bulk transfer (a pooled plane of the benchmark's second layer
 * is 25 values; one transfer each cost more than its loop). Planes are split over the cores
 * ({@link ParallelLoops}). Not thread-safe; the float64 loops are twins of the float32 ones.
 */
final class MaxPool2x2 implements PoolingKernel {
    /** Input elements staged per transfer: a few planes, well inside L1/L2. */
    private static final int CHUNK_ELEMENTS = 4096;

    private final int height, width, outH, outW, size, windows, chunk;
    private final Staging[] staging = new Staging[ParallelLoops.MAX_PARTS];

    /** One part's arrays: a chunk of planes, of maxima or gradients, and of positions. */
    private final class Staging {
        float[] planesF, bestF;
        double[] planesD, bestD;
        int[] at;

        void floats() {
            if (planesF == null) {
                planesF = new float[chunk * size];
                bestF = new float[chunk * windows];
            }
            if (at == null) at = new int[chunk * windows];
        }

        void doubles() {
            if (planesD == null) {
                planesD = new double[chunk * size];
                bestD = new double[chunk * windows];
            }
            if (at == null) at = new int[chunk * windows];
        }
    }

    MaxPool2x2(int height, int width) {
        if (height < 2 || width < 2) throw new IllegalArgumentException("plane " + height + "x" + width + " holds no 2x2 window");
        this.height = height;
        this.width = width;
        outH = height / 2;
        outW = width / 2;
        size = height * width;
        windows = outH * outW;
        chunk = Math.max(1, CHUNK_ELEMENTS / size);
        for (int i = 0; i < staging.length; i++) staging[i] = new Staging();
    }

    @Override
    public void forward(INDArray input, int planes, INDArray output, int[] argmax) {
        ParallelLoops.run(planes, (long) planes * size,
                (from, to, part) -> forward(input, output, argmax, from, to, staging[part]));
    }

    @Override
    public void backward(INDArray eps, int planes, int[] argmax, INDArray dx) {
        ParallelLoops.run(planes, (long) planes * size,
                (from, to, part) -> backward(eps, argmax, dx, from, to, staging[part]));
    }

    /** Planes {@code [from, to)}, a chunk at a time. */
    private void forward(INDArray input, INDArray output, int[] argmax, int from, int to, Staging st) {
        boolean floats = input.dataType() == DataType.FLOAT;
        if (floats) st.floats(); else st.doubles();
        FloatBuffer inF = floats ? NdArrays.floatBuffer(input) : null, outF = floats ? NdArrays.floatBuffer(output) : null;
        DoubleBuffer inD = floats ? null : NdArrays.doubleBuffer(input), outD = floats ? null : NdArrays.doubleBuffer(output);
        for (int q = from; q < to; q += chunk) {
            int n = Math.min(chunk, to - q);
            if (floats) {
                inF.get(q * size, st.planesF, 0, n * size);
                for (int i = 0; i < n; i++) pool(st.planesF, i * size, st.bestF, st.at, i * windows);
                outF.put(q * windows, st.bestF, 0, n * windows);
            } else {
                inD.get(q * size, st.planesD, 0, n * size);
                for (int i = 0; i < n; i++) pool(st.planesD, i * size, st.bestD, st.at, i * windows);
                outD.put(q * windows, st.bestD, 0, n * windows);
            }
            if (argmax != null) System.arraycopy(st.at, 0, argmax, q * windows, n * windows);
        }
    }

    /** One plane at {@code plane[in..]}: maxima to {@code best[out..]}, positions (offsets in the plane) to {@code at[out..]}. */
    private void pool(float[] plane, int in, float[] best, int[] at, int out) {
        int w = width;
        for (int oy = 0; oy < outH; oy++) {
            int row = 2 * oy * w, o = out + oy * outW;
            for (int ox = 0; ox < outW; ox++) {
                int a = row + 2 * ox; // offset of the window's first tap in the plane
                float va = plane[in + a], vb = plane[in + a + 1], vc = plane[in + a + w], vd = plane[in + a + w + 1];
                float m = Math.max(Math.max(Math.max(va, vb), vc), vd);
                int bits = Float.floatToRawIntBits(m);
                int pos = a + w + 1; // last tap unless an earlier one matches (visited last to first)
                pos ^= (pos ^ (a + w)) & same(Float.floatToRawIntBits(vc) ^ bits);
                pos ^= (pos ^ (a + 1)) & same(Float.floatToRawIntBits(vb) ^ bits);
                pos ^= (pos ^ a) & same(Float.floatToRawIntBits(va) ^ bits);
                best[o + ox] = m;
                at[o + ox] = pos;
            }
        }
    }

    private void pool(double[] plane, int in, double[] best, int[] at, int out) {
        int w = width;
        for (int oy = 0; oy < outH; oy++) {
            int row = 2 * oy * w, o = out + oy * outW;
            for (int ox = 0; ox < outW; ox++) {
                int a = row + 2 * ox;
                double va = plane[in + a], vb = plane[in + a + 1], vc = plane[in + a + w], vd = plane[in + a + w + 1];
                double m = Math.max(Math.max(Math.max(va, vb), vc), vd);
                long bits = Double.doubleToRawLongBits(m);
                int pos = a + w + 1;
                pos ^= (pos ^ (a + w)) & same(Double.doubleToRawLongBits(vc) ^ bits);
                pos ^= (pos ^ (a + 1)) & same(Double.doubleToRawLongBits(vb) ^ bits);
                pos ^= (pos ^ a) & same(Double.doubleToRawLongBits(va) ^ bits);
                best[o + ox] = m;
                at[o + ox] = pos;
            }
        }
    }

    /** All ones where {@code differ} is 0, else 0. */
    private static int same(int differ) {
        return ~((differ | -differ) >> 31);
    }

    private static int same(long differ) {
        return (int) ~((differ | -differ) >> 63);
    }

    /** Windows do not overlap: each input element gets at most one window's gradient (added to 0, as in {@link MaxPooling}). */
    private void backward(INDArray eps, int[] argmax, INDArray dx, int from, int to, Staging st) {
        boolean floats = dx.dataType() == DataType.FLOAT;
        if (floats) st.floats(); else st.doubles();
        FloatBuffer eF = floats ? NdArrays.floatBuffer(eps) : null, dF = floats ? NdArrays.floatBuffer(dx) : null;
        DoubleBuffer eD = floats ? null : NdArrays.doubleBuffer(eps), dD = floats ? null : NdArrays.doubleBuffer(dx);
        for (int q = from; q < to; q += chunk) {
            int n = Math.min(chunk, to - q);
            if (floats) {
                float[] plane = st.planesF, g = st.bestF;
                Arrays.fill(plane, 0, n * size, 0f);
                eF.get(q * windows, g, 0, n * windows);
                for (int i = 0; i < n; i++) {
                    int in = i * size, p0 = i * windows, a0 = (q + i) * windows;
                    for (int p = 0; p < windows; p++) plane[in + argmax[a0 + p]] += g[p0 + p];
                }
                dF.put(q * size, plane, 0, n * size);
            } else {
                double[] plane = st.planesD, g = st.bestD;
                Arrays.fill(plane, 0, n * size, 0d);
                eD.get(q * windows, g, 0, n * windows);
                for (int i = 0; i < n; i++) {
                    int in = i * size, p0 = i * windows, a0 = (q + i) * windows;
                    for (int p = 0; p < windows; p++) plane[in + argmax[a0 + p]] += g[p0 + p];
                }
                dD.put(q * size, plane, 0, n * size);
            }
        }
    }
}
