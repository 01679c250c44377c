package io.trainserve.engine.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Unfolds a run of samples of an NCHW batch into a column matrix, and folds column gradients back
 * (col2im), for one layer's geometry. The column matrix is f-ordered {@code [count·P, K]} (row =
 * sample and window, column = tap), so {@code cols · W} with the kernel seen as f-ordered
 * {@code [K, oC]} is one product with no transposed copy, as a dense layer's {@code x · W}.
 *
 * <p>A block of samples is copied into a Java array in one bulk transfer, and each tap's column
 * entries for the whole block (contiguous in the f-ordered matrix) are built in one and written
 * in one: element-wise access to native buffers costs several times more than these plain array
 * loops. One transfer per sample and tap (121 floats for conv2 of the benchmark CNN, 288 of them
 * per sample, 48 KB apart) was measured slower: unfold 4.6 → 3.9 ms, fold 5.5 → 4.3 ms for conv2
 * at batch 100 on one thread. The caller splits samples over the cores and names the part, whose
 * staging arrays a call uses; calls for different parts may run at once. The float64 loops (gradient
 * checks) are twins of the float32 ones.
 */
final class Im2Col {
    /** Column entries each transfer should carry at least: blocks of samples make up this many per tap. */
    private static final int MIN_TRANSFER = 1024;
    /** Most elements a part stages for a block of samples (256 KB in float32, within L2), however few windows a sample has. */
    private static final int MAX_STAGED = 1 << 16;

    private final PatchIndex index;
    /** Samples staged together: enough that one tap's entries for them reach {@link #MIN_TRANSFER}, within {@link #MAX_STAGED}. */
    private final int block;
    /**
     * Windows per output row if each tap reads, for every output row, one contiguous run of the
     * input row (stride 1 across, no padding: the benchmark CNN's convolutions); float32 passes then
     * copy and add runs instead of gathering through the index table. 0 otherwise.
     */
    private final int run;
    private final Staging[] staging = new Staging[ParallelLoops.MAX_PARTS];

    /** One part's arrays: a block of samples (each followed by its pad slot) and one tap's column entries for the block. */
    private final class Staging {
        float[] sampleF, rowF;
        double[] sampleD, rowD;

        float[] sampleF() { return sampleF == null ? sampleF = new float[block * (index.sampleSize + 1)] : sampleF; }

        float[] rowF() { return rowF == null ? rowF = new float[block * index.windows] : rowF; }

        double[] sampleD() { return sampleD == null ? sampleD = new double[block * (index.sampleSize + 1)] : sampleD; }

        double[] rowD() { return rowD == null ? rowD = new double[block * index.windows] : rowD; }
    }

    Im2Col(PatchIndex index) {
        this.index = index;
        int wanted = (MIN_TRANSFER + index.windows - 1) / index.windows;
        this.block = Math.max(1, Math.min(wanted, MAX_STAGED / (index.sampleSize + 1)));
        this.run = contiguousRuns(index) ? index.outWidth : 0;
        for (int i = 0; i < staging.length; i++) staging[i] = new Staging();
    }

    /** True if every tap reads each output row's windows from consecutive input elements, none of them padding. */
    private static boolean contiguousRuns(PatchIndex index) {
        int[] src = index.sources();
        int w = index.outWidth;
        for (int k = 0; k < index.taps; k++) {
            for (int q = 0; q < index.windows; q += w) {
                int s = k * index.windows + q;
                for (int x = 0; x < w; x++) {
                    if (src[s + x] == index.padSlot || src[s + x] != src[s] + x) return false;
                }
            }
        }
        return true;
    }

    /**
     * cols[n·P + p, k] = sample {@code first + n}'s value under tap k of window p, 0 in padding, on
     * the calling thread with the staging arrays of {@code part} (one part of a loop split by the caller).
     *
     * @param input c-ordered contiguous NCHW batch
     * @param cols  f-ordered contiguous {@code [count·P, K]}
     */
    void unfold(INDArray input, int first, int count, INDArray cols, int part) {
        unfold(input, first, count, cols, 0, count, staging[part]);
    }

    /**
     * The adjoint of {@link #unfold}: overwrites samples {@code [first, first + count)} of {@code dx}
     * with, per input element, the sum of the column entries of every window and tap that read it.
     */
    void fold(INDArray cols, int first, int count, INDArray dx, int part) {
        fold(cols, first, count, dx, 0, count, staging[part]);
    }

    /**
     * Samples {@code [from, to)} of the run, a block at a time. Staged sample b sits at
     * {@code b * (sampleSize + 1)}, its pad slot right after it, so its taps read
     * {@code base + source} with the pad slot offset unchanged.
     */
    private void unfold(INDArray input, int first, int count, INDArray cols, int from, int to, Staging st) {
        int[] src = index.sources();
        int taps = index.taps, windows = index.windows, size = index.sampleSize, stride = size + 1, rows = count * windows;
        if (input.dataType() == DataType.FLOAT) {
            FloatBuffer in = NdArrays.floatBuffer(input), out = NdArrays.floatBuffer(cols);
            float[] samples = st.sampleF(), row = st.rowF();
            for (int n = from; n < to; n += block) {
                int m = Math.min(block, to - n);
                for (int b = 0; b < m; b++) {
                    in.get((first + n + b) * size, samples, b * stride, size);
                    samples[b * stride + size] = 0f;
                }
                for (int k = 0; k < taps; k++) {
                    int s = k * windows;
                    for (int b = 0; b < m; b++) {
                        int base = b * stride, r = b * windows;
                        if (run > 0) {
                            for (int q = 0; q < windows; q += run) System.arraycopy(samples, base + src[s + q], row, r + q, run);
                        } else {
                            for (int p = 0; p < windows; p++) row[r + p] = samples[base + src[s + p]];
                        }
                    }
                    out.put(k * rows + n * windows, row, 0, m * windows);
                }
            }
        } else {
            DoubleBuffer in = NdArrays.doubleBuffer(input), out = NdArrays.doubleBuffer(cols);
            double[] samples = st.sampleD(), row = st.rowD();
            for (int n = from; n < to; n += block) {
                int m = Math.min(block, to - n);
                for (int b = 0; b < m; b++) {
                    in.get((first + n + b) * size, samples, b * stride, size);
                    samples[b * stride + size] = 0d;
                }
                for (int k = 0; k < taps; k++) {
                    int s = k * windows;
                    for (int b = 0; b < m; b++) {
                        int base = b * stride, r = b * windows;
                        for (int p = 0; p < windows; p++) row[r + p] = samples[base + src[s + p]];
                    }
                    out.put(k * rows + n * windows, row, 0, m * windows);
                }
            }
        }
    }

    /** Sums in tap order per input element, as one sample at a time would: the block changes no result. */
    private void fold(INDArray cols, int first, int count, INDArray dx, int from, int to, Staging st) {
        int[] src = index.sources();
        int taps = index.taps, windows = index.windows, size = index.sampleSize, stride = size + 1, rows = count * windows;
        if (dx.dataType() == DataType.FLOAT) {
            FloatBuffer in = NdArrays.floatBuffer(cols), out = NdArrays.floatBuffer(dx);
            float[] sums = st.sampleF(), row = st.rowF(); // padding taps add into the pad slots, never written out
            for (int n = from; n < to; n += block) {
                int m = Math.min(block, to - n);
                Arrays.fill(sums, 0, m * stride, 0f);
                for (int k = 0; k < taps; k++) {
                    in.get(k * rows + n * windows, row, 0, m * windows);
                    int s = k * windows;
                    for (int b = 0; b < m; b++) {
                        int base = b * stride, r = b * windows;
                        if (run > 0) {
                            for (int q = 0; q < windows; q += run) addRun(row, r + q, sums, base + src[s + q], run);
                        } else {
                            for (int p = 0; p < windows; p++) sums[base + src[s + p]] += row[r + p];
                        }
                    }
                }
                for (int b = 0; b < m; b++) out.put((first + n + b) * size, sums, b * stride, size);
            }
        } else {
            DoubleBuffer in = NdArrays.doubleBuffer(cols), out = NdArrays.doubleBuffer(dx);
            double[] sums = st.sampleD(), row = st.rowD();
            for (int n = from; n < to; n += block) {
                int m = Math.min(block, to - n);
                Arrays.fill(sums, 0, m * stride, 0d);
                for (int k = 0; k < taps; k++) {
                    in.get(k * rows + n * windows, row, 0, m * windows);
                    int s = k * windows;
                    for (int b = 0; b < m; b++) {
                        int base = b * stride, r = b * windows;
                        for (int p = 0; p < windows; p++) sums[base + src[s + p]] += row[r + p];
                    }
                }
                for (int b = 0; b < m; b++) out.put((first + n + b) * size, sums, b * stride, size);
            }
        }
    }

    /** sums[to + x] += row[from + x] for x < length: a loop the JIT vectorizes. */
    private static void addRun(float[] row, int from, float[] sums, int to, int length) {
        for (int x = 0; x < length; x++) sums[to + x] += row[from + x];
    }
}
