package io.trainserve.engine.train;

import io.trainserve.engine.nn.NdArrays;
import io.trainserve.engine.preprocess.Scaling;
import io.trainserve.engine.preprocess.ScalingStage;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;

/**
 * A dataset's raw rows, scaled on their way into a batch's input. Training and evaluation once
 * worked on a scaled copy of the whole dataset: 188 MB next to the raw 188 MB for Fashion-MNIST's
 * 60k images, which made training at -Xmx512m fail now and then when G1 found no contiguous space
 * for the copy. Scaling ~80k values per batch costs a few microseconds. Not thread-safe.
 */
public final class ScaledRows {
    private final float[] raw;
    private final int width;
    private final ScalingStage stage;

    ScaledRows(float[] raw, int width, Scaling scaling) {
        this.raw = raw;
        this.width = width;
        this.stage = scaling.stage();
    }

    /** Rows {@code rows[from..from+count)}, scaled, into the contiguous row-major {@code dst}. */
    void gather(int[] rows, int from, int count, INDArray dst) {
        FloatBuffer floats = dst.dataType() == DataType.FLOAT ? NdArrays.floatBuffer(dst) : null;
        for (int done = 0; done < count; ) {
            int staged = stage.stageRows(raw, rows, from + done, count - done);
            put(stage, floats, dst, done * width, staged * width);
            done += staged;
        }
    }

    /** Rows {@code [first, first + count)}, scaled, into the contiguous row-major {@code dst}. */
    void copy(int first, int count, INDArray dst) {
        copy(stage, raw, first * width, (first + count) * width, dst);
    }

    /** Scales the whole rows in elements {@code [from, to)} of {@code raw} into {@code dst}, from its first element. */
    public static void copy(ScalingStage stage, float[] raw, int from, int to, INDArray dst) {
        // one view of the native memory for all chunks: building one costs ~0.2 µs, 25 chunks a part
        FloatBuffer floats = dst.dataType() == DataType.FLOAT ? NdArrays.floatBuffer(dst) : null;
        for (int at = from; at < to; ) {
            int staged = stage.stage(raw, at, to);
            put(stage, floats, dst, at - from, staged);
            at += staged;
        }
    }

    private static void put(ScalingStage stage, FloatBuffer floats, INDArray dst, int at, int length) {
        if (floats != null) floats.put(at, stage.chunk(), 0, length);
        else NdArrays.writeAt(stage.chunk(), length, dst, at); // float64 networks (gradient checks)
    }
}
