package io.trainserve.engine.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Max pooling over every channel plane of an NCHW batch for one window geometry, remembering where
 * each maximum came from so the backward pass is a scatter. Padding taps read -inf (the plane's pad
 * slot), so they never win; on ties the first tap in window order wins (-0 counts as below +0).
 *
 * <p>Each plane is staged in a Java array and the loops run over all windows per tap, not over a
 * window's few taps (short inner loops cost the JIT more than they do). The maximum's position is
 * chosen without a data-dependent branch: floats are compared as order-preserving integer keys and
 * the winner selected by a mask; a branch on random values mispredicts about half the time
 * (measured 2.5× slower). Not thread-safe; float64 loops are twins.
 */
final class MaxPooling {
    private final PatchIndex window;
    private float[] planeF, bestF;
    private double[] planeD, bestD;
    private int[] keysF, bestKeyF;
    private long[] keysD, bestKeyD;
    private int[] at;

    /** @param window one plane's window geometry (channels 1) */
    MaxPooling(PatchIndex window) {
        this.window = window;
    }

    /**
     * @param planes batch × channels
     * @param argmax receives, per output element, the winning input's offset within its plane; null
     *               for inference, which then only takes maxima
     */
    void forward(INDArray input, int planes, INDArray output, int[] argmax) {
        int size = window.sampleSize, windows = window.windows;
        if (input.dataType() == DataType.FLOAT) {
            FloatBuffer in = NdArrays.floatBuffer(input), out = NdArrays.floatBuffer(output);
            float[] plane = planeF(), best = bestF();
            plane[window.padSlot] = Float.NEGATIVE_INFINITY;
            for (int q = 0; q < planes; q++) {
                in.get(q * size, plane, 0, size);
                if (argmax == null) {
                    maxima(plane, best);
                } else {
                    for (int i = 0; i <= size; i++) keysF[i] = key(plane[i]);
                    winners(keysF, argmax, q * windows);
                    for (int p = 0; p < windows; p++) best[p] = plane[argmax[q * windows + p]];
                }
                out.put(q * windows, best, 0, windows);
            }
        } else {
            DoubleBuffer in = NdArrays.doubleBuffer(input), out = NdArrays.doubleBuffer(output);
            double[] plane = planeD(), best = bestD();
            plane[window.padSlot] = Double.NEGATIVE_INFINITY;
            for (int q = 0; q < planes; q++) {
                in.get(q * size, plane, 0, size);
                if (argmax == null) {
                    maxima(plane, best);
                } else {
                    for (int i = 0; i <= size; i++) keysD[i] = key(plane[i]);
                    winners(keysD, argmax, q * windows);
                    for (int p = 0; p < windows; p++) best[p] = plane[argmax[q * windows + p]];
                }
                out.put(q * windows, best, 0, windows);
            }
        }
    }

    /** dx = 0 except that each input element collects the gradients of the windows it won (windows may overlap). */
    void backward(INDArray eps, int planes, int[] argmax, INDArray dx) {
        int size = window.sampleSize, windows = window.windows;
        if (dx.dataType() == DataType.FLOAT) {
            FloatBuffer e = NdArrays.floatBuffer(eps), d = NdArrays.floatBuffer(dx);
            float[] plane = planeF(), g = bestF();
            for (int q = 0; q < planes; q++) {
                Arrays.fill(plane, 0f);
                e.get(q * windows, g, 0, windows);
                for (int p = 0; p < windows; p++) plane[argmax[q * windows + p]] += g[p];
                d.put(q * size, plane, 0, size);
            }
        } else {
            DoubleBuffer e = NdArrays.doubleBuffer(eps), d = NdArrays.doubleBuffer(dx);
            double[] plane = planeD(), g = bestD();
            for (int q = 0; q < planes; q++) {
                Arrays.fill(plane, 0d);
                e.get(q * windows, g, 0, windows);
                for (int p = 0; p < windows; p++) plane[argmax[q * windows + p]] += g[p];
                d.put(q * size, plane, 0, size);
            }
        }
    }

    private void maxima(float[] plane, float[] best) {
        int[] src = window.sources();
        int windows = window.windows;
        for (int p = 0; p < windows; p++) best[p] = plane[src[p]];
        for (int k = 1; k < window.taps; k++) {
            int s = k * windows;
            for (int p = 0; p < windows; p++) best[p] = Math.max(best[p], plane[src[s + p]]); // NaN wins, as ND4J
        }
    }

    private void maxima(double[] plane, double[] best) {
        int[] src = window.sources();
        int windows = window.windows;
        for (int p = 0; p < windows; p++) best[p] = plane[src[p]];
        for (int k = 1; k < window.taps; k++) {
            int s = k * windows;
            for (int p = 0; p < windows; p++) best[p] = Math.max(best[p], plane[src[s + p]]);
        }
    }

    /** argmax[to + p] = the first tap of window p with the largest key. */
    private void winners(int[] keys, int[] argmax, int to) {
        int[] src = window.sources(), bk = bestKeyF;
        int windows = window.windows;
        for (int p = 0; p < windows; p++) {
            int o = src[p];
            at[p] = o;
            bk[p] = keys[o];
        }
        for (int k = 1; k < window.taps; k++) {
            int s = k * windows;
            for (int p = 0; p < windows; p++) {
                int o = src[s + p], kv = keys[o], kb = bk[p];
                int m = (int) (((long) kb - kv) >> 63); // all ones where this tap is strictly larger
                bk[p] = kb ^ ((kb ^ kv) & m);
                at[p] ^= (at[p] ^ o) & m;
            }
        }
        System.arraycopy(at, 0, argmax, to, windows);
    }

    private void winners(long[] keys, int[] argmax, int to) {
        int[] src = window.sources();
        long[] bk = bestKeyD;
        int windows = window.windows;
        for (int p = 0; p < windows; p++) {
            int o = src[p];
            at[p] = o;
            bk[p] = keys[o];
        }
        for (int k = 1; k < window.taps; k++) {
            int s = k * windows;
            for (int p = 0; p < windows; p++) {
                int o = src[s + p];
                long kv = keys[o], kb = bk[p], d = kb - kv;
                long m = (d ^ ((kb ^ kv) & (d ^ kb))) >> 63; // kb < kv without overflow (Hacker's Delight 2-12)
                bk[p] = kb ^ ((kb ^ kv) & m);
                at[p] ^= (at[p] ^ o) & (int) m;
            }
        }
        System.arraycopy(at, 0, argmax, to, windows);
    }

    /**
     * An integer whose order is the float's: its bits with the magnitude flipped for negatives. NaN
     * gets the largest key, so it wins as in ND4J's max (and divergence shows).
     */
    private static int key(float f) {
        if (f != f) return Integer.MAX_VALUE;
        int b = Float.floatToRawIntBits(f);
        return b ^ ((b >> 31) & 0x7fffffff);
    }

    private static long key(double f) {
        if (f != f) return Long.MAX_VALUE;
        long b = Double.doubleToRawLongBits(f);
        return b ^ ((b >> 63) & 0x7fffffffffffffffL);
    }

    private float[] planeF() {
        if (planeF == null) {
            planeF = new float[window.sampleSize + 1];
            bestF = new float[window.windows];
            keysF = new int[window.sampleSize + 1];
            bestKeyF = new int[window.windows];
            at = new int[window.windows];
        }
        return planeF;
    }

    private float[] bestF() { return bestF; }

    private double[] planeD() {
        if (planeD == null) {
            planeD = new double[window.sampleSize + 1];
            bestD = new double[window.windows];
            keysD = new long[window.sampleSize + 1];
            bestKeyD = new long[window.windows];
            at = new int[window.windows];
        }
        return planeD;
    }

    private double[] bestD() { return bestD; }
}
