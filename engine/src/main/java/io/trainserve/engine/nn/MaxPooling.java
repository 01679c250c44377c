package io.trainserve.engine.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Max pooling over every channel plane of an NCHW batch for one window geometry, remembering where
 * each maximum came from so the backward pass is a scatter. Padding taps read -inf (the plane's pad
 * slot), so they never win; on ties the first tap in window order wins.
 *
 * <p>Each plane is staged in a Java array and the loops run over all windows per tap, not over a
 * window's few taps (short inner loops cost the JIT more than the work: direct strided loops for
 * 2×2 windows, 13 windows per row, measured 1.7× slower than these gathers). Unpadded 2×2 windows,
 * the usual case, have their own kernel over all windows of a plane ({@link #maxima2x2}). The position is found
 * without data-dependent branches, as the tap where the running maximum's bits last changed,
 * selected by a mask: a branch on which of random values is larger mispredicts about half the time
 * (measured 2.5× slower). Planes are split over the cores ({@link ParallelLoops}). Not thread-safe; the
 * float64 loops are twins of the float32 ones.
 */
final class MaxPooling {
    private static final int POSITIVE_INFINITY_BITS = Float.floatToRawIntBits(Float.POSITIVE_INFINITY);

    private final PatchIndex window;
    /**
     * For 2×2 windows without padding (the usual {@code MaxPooling2D(2)}): the distance between a
     * window's two rows, so {@link #maxima2x2} reads its four taps from its first; else 0.
     */
    private final int rowStep;
    /** No input element is in two windows (stride at least the window): a plane's gradient has one entry per window. */
    private final boolean disjoint;
    private final Staging[] staging = new Staging[ParallelLoops.MAX_PARTS];

    /** One part's arrays: a plane (plus its pad slot) and a row of maxima or gradients. */
    private final class Staging {
        float[] planeF, bestF;
        double[] planeD, bestD;

        float[] planeF() {
            if (planeF == null) {
                planeF = new float[window.sampleSize + 1];
                bestF = new float[window.windows];
            }
            return planeF;
        }

        double[] planeD() {
            if (planeD == null) {
                planeD = new double[window.sampleSize + 1];
                bestD = new double[window.windows];
            }
            return planeD;
        }
    }

    /** @param window one plane's window geometry (channels 1) */
    MaxPooling(PatchIndex window) {
        this.window = window;
        this.rowStep = twoByTwoRowStep(window);
        this.disjoint = disjoint(window);
        for (int i = 0; i < staging.length; i++) staging[i] = new Staging();
    }

    /**
     * @param planes batch × channels
     * @param argmax receives, per output element, the winning input's offset within its plane; null
     *               for inference, which then only takes maxima
     */
    void forward(INDArray input, int planes, INDArray output, int[] argmax) {
        ParallelLoops.run(planes, (long) planes * window.taps * window.windows,
                (from, to, part) -> forward(input, output, argmax, from, to, staging[part]));
    }

    /** dx = 0 except that each input element collects the gradients of the windows it won (windows may overlap). */
    void backward(INDArray eps, int planes, int[] argmax, INDArray dx) {
        ParallelLoops.run(planes, (long) planes * window.sampleSize,
                (from, to, part) -> backward(eps, argmax, dx, from, to, staging[part]));
    }

    /** Windows (outputs) per plane. */
    int windows() {
        return window.windows;
    }

    /**
     * Pools one plane staged by the caller (one input plane and one more element, its pad slot, which must hold -inf) into
     * {@code best}, with positions at {@code argmax[offset..]} unless argmax is null: what
     * {@link #forward} does for each plane it stages itself.
     */
    void poolPlane(float[] plane, float[] best, int[] argmax, int offset) {
        if (argmax == null) maxima(plane, best);
        else maxima(plane, best, argmax, offset);
    }

    /** The plane-sized gradient of one plane's windows: zeros, plus each window's gradient at its position, as {@link #backward}. */
    static void scatter(float[] g, int windows, int[] argmax, int offset, float[] plane) {
        Arrays.fill(plane, 0f);
        for (int p = 0; p < windows; p++) plane[argmax[offset + p]] += g[p];
    }

    /** Planes {@code [from, to)}. */
    private void forward(INDArray input, INDArray output, int[] argmax, int from, int to, Staging st) {
        int size = window.sampleSize, windows = window.windows;
        if (input.dataType() == DataType.FLOAT) {
            FloatBuffer in = NdArrays.floatBuffer(input), out = NdArrays.floatBuffer(output);
            float[] plane = st.planeF(), best = st.bestF;
            plane[window.padSlot] = Float.NEGATIVE_INFINITY;
            for (int q = from; q < to; q++) {
                in.get(q * size, plane, 0, size);
                poolPlane(plane, best, argmax, q * windows);
                out.put(q * windows, best, 0, windows);
            }
        } else {
            DoubleBuffer in = NdArrays.doubleBuffer(input), out = NdArrays.doubleBuffer(output);
            double[] plane = st.planeD(), best = st.bestD;
            plane[window.padSlot] = Double.NEGATIVE_INFINITY;
            for (int q = from; q < to; q++) {
                in.get(q * size, plane, 0, size);
                if (argmax == null) {
                    maxima(plane, best);
                } else {
                    maxima(plane, best, argmax, q * windows);
                }
                out.put(q * windows, best, 0, windows);
            }
        }
    }

    private void backward(INDArray eps, int[] argmax, INDArray dx, int from, int to, Staging st) {
        int size = window.sampleSize, windows = window.windows;
        if (dx.dataType() == DataType.FLOAT) {
            FloatBuffer e = NdArrays.floatBuffer(eps), d = NdArrays.floatBuffer(dx);
            float[] plane = st.planeF(), g = st.bestF;
            for (int q = from; q < to; q++) {
                e.get(q * windows, g, 0, windows);
                scatter(g, windows, argmax, q * windows, plane);
                d.put(q * size, plane, 0, size);
            }
        } else {
            DoubleBuffer e = NdArrays.doubleBuffer(eps), d = NdArrays.doubleBuffer(dx);
            double[] plane = st.planeD(), g = st.bestD;
            for (int q = from; q < to; q++) {
                Arrays.fill(plane, 0d);
                e.get(q * windows, g, 0, windows);
                for (int p = 0; p < windows; p++) plane[argmax[q * windows + p]] += g[p];
                d.put(q * size, plane, 0, size);
            }
        }
    }

    /**
     * best[p] = the maximum of window p, at[offset + p] = the first tap in window order whose bits equal it,
     * found in the same pass: the running maximum's bits change exactly at the taps that beat all
     * before them (Math.max returns one of its arguments, +0 beats -0, the first NaN stays), so the
     * last change is the first tap equal to the final maximum. One gather per tap instead of two
     * (a pass for the maxima, another for the positions): pooling forward measured ~15 % faster.
     */
    private void maxima(float[] plane, float[] best, int[] at, int offset) {
        if (rowStep > 0) {
            maxima2x2(plane, best, at, offset);
            return;
        }
        int[] src = window.sources();
        int windows = window.windows;
        for (int p = 0; p < windows; p++) {
            best[p] = plane[src[p]];
            at[offset + p] = src[p];
        }
        for (int k = 1; k < window.taps; k++) {
            int s = k * windows;
            for (int p = 0; p < windows; p++) {
                int o = src[s + p];
                float b = best[p], m = Math.max(b, plane[o]); // NaN wins
                int differ = Float.floatToRawIntBits(m) ^ Float.floatToRawIntBits(b);
                int changed = (differ | -differ) >> 31; // all ones where the maximum moved to this tap
                at[offset + p] ^= (at[offset + p] ^ o) & changed;
                best[p] = m;
            }
        }
    }

    /** True if windows never share an input element (padding taps aside). */
    boolean disjointWindows() {
        return disjoint;
    }

    private static boolean disjoint(PatchIndex window) {
        boolean[] seen = new boolean[window.sampleSize];
        for (int o : window.sources()) {
            if (o == window.padSlot) continue;
            if (seen[o]) return false;
            seen[o] = true;
        }
        return true;
    }

    /** The row step if every window is 2×2 taps {@code o, o+1, o+step, o+step+1} inside the plane, else 0. */
    private static int twoByTwoRowStep(PatchIndex window) {
        int[] src = window.sources();
        int windows = window.windows;
        if (window.taps != 4 || windows == 0) return 0;
        int step = src[2 * windows] - src[0];
        for (int p = 0; p < windows; p++) {
            int o = src[p];
            boolean twoByTwo = o != window.padSlot && src[windows + p] == o + 1 && src[2 * windows + p] == o + step
                    && src[3 * windows + p] == o + step + 1 && o + step + 1 < window.padSlot;
            if (!twoByTwo) return 0;
        }
        return step;
    }

    /**
     * {@link #maxima(float[], float[], int[], int)} for 2×2 windows, a window at a time with its four
     * taps read from its first tap's offset. Windows of non-negative values (every window a relu
     * passes on) compare their taps' bits as ints, which order such floats as the floats themselves
     * and equal bits mean equal taps, so the first of equal taps wins as in the running maximum;
     * Math.max on floats costs several instructions for its NaN and signed-zero rules. A window
     * with a negative tap, -0 or a NaN takes those rules, tap by tap in window order. The position
     * comes from the sign bits of differences, not from selects: C2 compiles {@code b1 > m ? .. : ..}
     * to branches when its profile leans one way, and on trained activations (runs of equal values,
     * then noise) they mispredicted. In a training step on Fashion-MNIST, one thread, the benchmark
     * CNN's two poolings took 4.0 + 1.6 ms with selects and 2.7 + 0.9 ms so; on random planes,
     * alone, both ran ~1.9 ms per 3200 planes of 26×26, so only an in-step timer shows it.
     */
    private void maxima2x2(float[] plane, float[] best, int[] at, int offset) {
        int[] src = window.sources();
        int windows = window.windows, step = rowStep;
        for (int p = 0; p < windows; p++) {
            int o = src[p];
            int b0 = Float.floatToRawIntBits(plane[o]), b1 = Float.floatToRawIntBits(plane[o + 1]);
            int b2 = Float.floatToRawIntBits(plane[o + step]), b3 = Float.floatToRawIntBits(plane[o + step + 1]);
            int top = Math.max(b0, b1), bottom = Math.max(b2, b3), m = Math.max(top, bottom);
            // for non-negative bits (else overwritten below) the differences cannot overflow: their
            // sign bits say which tap is strictly larger, so ties keep the first in window order
            int right = (b0 - b1) >>> 31, bottomRight = (b2 - b3) >>> 31, lower = (top - bottom) >> 31;
            int pos = o + ((right & ~lower) | ((step + bottomRight) & lower));
            if ((b0 | b1 | b2 | b3) < 0 || m > POSITIVE_INFINITY_BITS) { // a sign bit, or a NaN won
                pos = o;
                float f = plane[o];
                float f1 = Math.max(f, plane[o + 1]);
                pos ^= (pos ^ (o + 1)) & moved(f1, f);
                float f2 = Math.max(f1, plane[o + step]);
                pos ^= (pos ^ (o + step)) & moved(f2, f1);
                float f3 = Math.max(f2, plane[o + step + 1]);
                pos ^= (pos ^ (o + step + 1)) & moved(f3, f2);
                m = Float.floatToRawIntBits(f3);
            }
            best[p] = Float.intBitsToFloat(m);
            at[offset + p] = pos;
        }
    }

    /** All ones if the running maximum's bits changed from {@code before} to {@code after}, else 0. */
    private static int moved(float after, float before) {
        int differ = Float.floatToRawIntBits(after) ^ Float.floatToRawIntBits(before);
        return (differ | -differ) >> 31;
    }

    /** Maxima only (inference). */
    private void maxima(float[] plane, float[] best) {
        int[] src = window.sources();
        int windows = window.windows;
        for (int p = 0; p < windows; p++) best[p] = plane[src[p]];
        for (int k = 1; k < window.taps; k++) {
            int s = k * windows;
            for (int p = 0; p < windows; p++) best[p] = Math.max(best[p], plane[src[s + p]]);
        }
    }

    private void maxima(double[] plane, double[] best, int[] at, int offset) {
        int[] src = window.sources();
        int windows = window.windows;
        for (int p = 0; p < windows; p++) {
            best[p] = plane[src[p]];
            at[offset + p] = src[p];
        }
        for (int k = 1; k < window.taps; k++) {
            int s = k * windows;
            for (int p = 0; p < windows; p++) {
                int o = src[s + p];
                double b = best[p], m = Math.max(b, plane[o]);
                long differ = Double.doubleToRawLongBits(m) ^ Double.doubleToRawLongBits(b);
                int changed = (int) ((differ | -differ) >> 63);
                at[offset + p] ^= (at[offset + p] ^ o) & changed;
                best[p] = m;
            }
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
}
