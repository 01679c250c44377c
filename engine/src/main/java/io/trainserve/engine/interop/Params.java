package io.trainserve.engine.interop;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Reads slices of a network's flat parameter or state array. */
final class Params {
    private Params() {
    }

    /** {@code length} floats of {@code flat} from {@code from}. */
    static float[] floats(INDArray flat, long from, int length) {
        float[] out = new float[length];
        for (int i = 0; i < length; i++) out[i] = flat.getFloat(from + i);
        return out;
    }

    /** A row-major {@code rows x cols} matrix of {@code flat} from {@code from}. */
    static float[][] matrix(INDArray flat, long from, int rows, int cols) {
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) out[r] = floats(flat, from + (long) r * cols, cols);
        return out;
    }
}
