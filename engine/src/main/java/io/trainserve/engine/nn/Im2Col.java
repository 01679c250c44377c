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
 * <p>Each sample is copied into a Java array in one bulk transfer and each column row is built in
 * one and written back in one: element-wise access to native buffers costs several times more
 * than these plain array loops. Samples are split over the cores ({@link ParallelLoops}). Not
 * thread-safe (owns its staging arrays), like the layer that owns it. The float64 loops (gradient
 * checks) are twins of the float32 ones.
 */
final class Im2Col {
    private final PatchIndex index;
    private final Staging[] staging = new Staging[ParallelLoops.MAX_PARTS];

    /** One part's arrays: a sample (plus its pad slot) and a column row. */
    private final class Staging {
        float[] sampleF, rowF;
        double[] sampleD, rowD;

        float[] sampleF() { return sampleF == null ? sampleF = new float[index.sampleSize + 1] : sampleF; }

        float[] rowF() { return rowF == null ? rowF = new float[index.windows] : rowF; }

        double[] sampleD() { return sampleD == null ? sampleD = new double[index.sampleSize + 1] : sampleD; }

        double[] rowD() { return rowD == null ? rowD = new double[index.windows] : rowD; }
    }

    Im2Col(PatchIndex index) {
        this.index = index;
        for (int i = 0; i < staging.length; i++) staging[i] = new Staging();
    }

    /**
     * cols[n·P + p, k] = sample {@code first + n}'s value under tap k of window p, 0 in padding.
     *
     * @param input c-ordered contiguous NCHW batch
     * @param cols  f-ordered contiguous {@code [count·P, K]}
     */
    void unfold(INDArray input, int first, int count, INDArray cols) {
        ParallelLoops.run(count, (long) count * index.taps * index.windows,
                (from, to, part) -> unfold(input, first, count, cols, from, to, staging[part]));
    }

    /**
     * The adjoint of {@link #unfold}: overwrites samples {@code [first, first + count)} of {@code dx}
     * with, per input element, the sum of the column entries of every window and tap that read it.
     */
    void fold(INDArray cols, int first, int count, INDArray dx) {
        ParallelLoops.run(count, (long) count * index.taps * index.windows,
                (from, to, part) -> fold(cols, first, count, dx, from, to, staging[part]));
    }

    /** Samples {@code [from, to)} of the run. */
    private void unfold(INDArray input, int first, int count, INDArray cols, int from, int to, Staging st) {
        int[] src = index.sources();
        int taps = index.taps, windows = index.windows, size = index.sampleSize, rows = count * windows;
        if (input.dataType() == DataType.FLOAT) {
            FloatBuffer in = NdArrays.floatBuffer(input), out = NdArrays.floatBuffer(cols);
            float[] sample = st.sampleF(), row = st.rowF();
            sample[index.padSlot] = 0f;
            for (int n = from; n < to; n++) {
                in.get((first + n) * size, sample, 0, size);
                for (int k = 0; k < taps; k++) {
                    int s = k * windows;
                    for (int p = 0; p < windows; p++) row[p] = sample[src[s + p]];
                    out.put(k * rows + n * windows, row, 0, windows);
                }
            }
        } else {
            DoubleBuffer in = NdArrays.doubleBuffer(input), out = NdArrays.doubleBuffer(cols);
            double[] sample = st.sampleD(), row = st.rowD();
            sample[index.padSlot] = 0d;
            for (int n = from; n < to; n++) {
                in.get((first + n) * size, sample, 0, size);
                for (int k = 0; k < taps; k++) {
                    int s = k * windows;
                    for (int p = 0; p < windows; p++) row[p] = sample[src[s + p]];
                    out.put(k * rows + n * windows, row, 0, windows);
                }
            }
        }
    }

    private void fold(INDArray cols, int first, int count, INDArray dx, int from, int to, Staging st) {
        int[] src = index.sources();
        int taps = index.taps, windows = index.windows, size = index.sampleSize, rows = count * windows;
        if (dx.dataType() == DataType.FLOAT) {
            FloatBuffer in = NdArrays.floatBuffer(cols), out = NdArrays.floatBuffer(dx);
            float[] sum = st.sampleF(), row = st.rowF(); // padding taps add into the pad slot, never written out
            for (int n = from; n < to; n++) {
                Arrays.fill(sum, 0f);
                for (int k = 0; k < taps; k++) {
                    in.get(k * rows + n * windows, row, 0, windows);
                    int s = k * windows;
                    for (int p = 0; p < windows; p++) sum[src[s + p]] += row[p];
                }
                out.put((first + n) * size, sum, 0, size);
            }
        } else {
            DoubleBuffer in = NdArrays.doubleBuffer(cols), out = NdArrays.doubleBuffer(dx);
            double[] sum = st.sampleD(), row = st.rowD();
            for (int n = from; n < to; n++) {
                Arrays.fill(sum, 0d);
                for (int k = 0; k < taps; k++) {
                    in.get(k * rows + n * windows, row, 0, windows);
                    int s = k * windows;
                    for (int p = 0; p < windows; p++) sum[src[s + p]] += row[p];
                }
                out.put((first + n) * size, sum, 0, size);
            }
        }
    }
}
