package io.trainserve.engine.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Unfolds a run of samples of an NCHW batch into a column matrix, and folds column gradients back
 * (col2im), for one layer's geometry. The column matrix is f-ordered {@code [count·P, K]} (row =
 * sample and window, column = tap), so {@code cols · W} with the kernel seen as f-ordered
 * {@code [K, oC]} is one product with no transposed copy, as a dense layer's {@code x · W}.
 *
 * <p>Each sample is copied into a Java array in one bulk transfer and each column row is built in
 * one and written back in one: element-wise access to native buffers costs several times more
 * than these plain array loops. Not thread-safe (owns its staging arrays), like the layer that owns
 * it. The float64 loops (gradient checks) are twins of the float32 ones.
 */
final class Im2Col {
    private final PatchIndex index;
    private float[] sampleF, rowF;
    private double[] sampleD, rowD;

    Im2Col(PatchIndex index) {
        this.index = index;
    }

    /**
     * cols[n·P + p, k] = sample {@code first + n}'s value under tap k of window p, 0 in padding.
     *
     * @param input c-ordered contiguous NCHW batch
     * @param cols  f-ordered contiguous {@code [count·P, K]}
     */
    void unfold(INDArray input, int first, int count, INDArray cols) {
        int[] src = index.sources();
        int taps = index.taps, windows = index.windows, size = index.sampleSize, rows = count * windows;
        if (input.dataType() == DataType.FLOAT) {
            FloatBuffer in = NdArrays.floatBuffer(input), out = NdArrays.floatBuffer(cols);
            float[] sample = sampleF(), row = rowF();
            sample[index.padSlot] = 0f;
            for (int n = 0; n < count; n++) {
                in.get((first + n) * size, sample, 0, size);
                for (int k = 0; k < taps; k++) {
                    int s = k * windows;
                    for (int p = 0; p < windows; p++) row[p] = sample[src[s + p]];
                    out.put(k * rows + n * windows, row, 0, windows);
                }
            }
        } else {
            DoubleBuffer in = NdArrays.doubleBuffer(input), out = NdArrays.doubleBuffer(cols);
            double[] sample = sampleD(), row = rowD();
            sample[index.padSlot] = 0d;
            for (int n = 0; n < count; n++) {
                in.get((first + n) * size, sample, 0, size);
                for (int k = 0; k < taps; k++) {
                    int s = k * windows;
                    for (int p = 0; p < windows; p++) row[p] = sample[src[s + p]];
                    out.put(k * rows + n * windows, row, 0, windows);
                }
            }
        }
    }

    /**
     * The adjoint of {@link #unfold}: overwrites samples {@code [first, first + count)} of {@code dx}
     * with, per input element, the sum of the column entries of every window and tap that read it.
     */
    void fold(INDArray cols, int first, int count, INDArray dx) {
        int[] src = index.sources();
        int taps = index.taps, windows = index.windows, size = index.sampleSize, rows = count * windows;
        if (dx.dataType() == DataType.FLOAT) {
            FloatBuffer in = NdArrays.floatBuffer(cols), out = NdArrays.floatBuffer(dx);
            float[] sum = sampleF(), row = rowF(); // padding taps add into the pad slot, never written out
            for (int n = 0; n < count; n++) {
                java.util.Arrays.fill(sum, 0f);
                for (int k = 0; k < taps; k++) {
                    in.get(k * rows + n * windows, row, 0, windows);
                    int s = k * windows;
                    for (int p = 0; p < windows; p++) sum[src[s + p]] += row[p];
                }
                out.put((first + n) * size, sum, 0, size);
            }
        } else {
            DoubleBuffer in = NdArrays.doubleBuffer(cols), out = NdArrays.doubleBuffer(dx);
            double[] sum = sampleD(), row = rowD();
            for (int n = 0; n < count; n++) {
                java.util.Arrays.fill(sum, 0d);
                for (int k = 0; k < taps; k++) {
                    in.get(k * rows + n * windows, row, 0, windows);
                    int s = k * windows;
                    for (int p = 0; p < windows; p++) sum[src[s + p]] += row[p];
                }
                out.put((first + n) * size, sum, 0, size);
            }
        }
    }

    private float[] sampleF() {
        if (sampleF == null) sampleF = new float[index.sampleSize + 1];
        return sampleF;
    }

    private float[] rowF() {
        if (rowF == null) rowF = new float[index.windows];
        return rowF;
    }

    private double[] sampleD() {
        if (sampleD == null) sampleD = new double[index.sampleSize + 1];
        return sampleD;
    }

    private double[] rowD() {
        if (rowD == null) rowD = new double[index.windows];
        return rowD;
    }
}
