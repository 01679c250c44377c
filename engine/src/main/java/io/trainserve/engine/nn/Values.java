package io.trainserve.engine.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Access to a contiguous float32 or float64 array's own memory (in its element order), so one
 * fused Java loop serves both the float32 training path and the float64 gradient checks.
 * Arithmetic is done in double either way. Element access suits a few values (per-feature
 * parameters); runs are better moved in bulk into a {@code double[]}, where loops are plain array
 * loops the JIT unrolls and vectorizes (an access through a native buffer is a call with a bounds
 * and liveness check, several times slower).
 */
sealed interface Values permits Values.Floats, Values.Doubles {
    double get(int i);

    void set(int i, double v);

    /** {@code dst[offset, offset + length) = this[from, from + length)}. */
    void read(int from, double[] dst, int offset, int length);

    /** {@code this[from, from + length) = src[offset, offset + length)}. */
    void write(int from, double[] src, int offset, int length);

    static Values of(INDArray a) {
        return of(a, new float[0]);
    }

    /** @param staging for float32 arrays, a buffer bulk copies go through (any length; longer means fewer copies) */
    static Values of(INDArray a, float[] staging) {
        if (a.dataType() == DataType.FLOAT) return new Floats(NdArrays.floatBuffer(a), staging);
        if (a.dataType() == DataType.DOUBLE) return new Doubles(NdArrays.doubleBuffer(a));
        throw new IllegalArgumentException("need a float32 or float64 array, got " + a.dataType());
    }

    /** True when {@link #of} applies to {@code a} as it is: contiguous in {@code order}, of the given type. */
    static boolean usable(INDArray a, char order, DataType type) {
        return a.dataType() == type && (a.ordering() == order || a.length() == 1)
                && (a.elementWiseStride() == 1 || a.length() == 1);
    }

    record Floats(FloatBuffer buffer, float[] staging) implements Values {
        @Override
        public double get(int i) { return buffer.get(i); }

        @Override
        public void set(int i, double v) { buffer.put(i, (float) v); }

        @Override
        public void read(int from, double[] dst, int offset, int length) {
            if (staging.length == 0) {
                for (int k = 0; k < length; k++) dst[offset + k] = buffer.get(from + k);
                return;
            }
            for (int done = 0; done < length; done += staging.length) {
                int n = Math.min(staging.length, length - done);
                buffer.get(from + done, staging, 0, n);
                for (int k = 0; k < n; k++) dst[offset + done + k] = staging[k];
            }
        }

        @Override
        public void write(int from, double[] src, int offset, int length) {
            if (staging.length == 0) {
                for (int k = 0; k < length; k++) buffer.put(from + k, (float) src[offset + k]);
                return;
            }
            for (int done = 0; done < length; done += staging.length) {
                int n = Math.min(staging.length, length - done);
                for (int k = 0; k < n; k++) staging[k] = (float) src[offset + done + k];
                buffer.put(from + done, staging, 0, n);
            }
        }
    }

    record Doubles(DoubleBuffer buffer) implements Values {
        @Override
        public double get(int i) { return buffer.get(i); }

        @Override
        public void set(int i, double v) { buffer.put(i, v); }

        @Override
        public void read(int from, double[] dst, int offset, int length) {
            buffer.get(from, dst, offset, length);
        }

        @Override
        public void write(int from, double[] src, int offset, int length) {
            buffer.put(from, src, offset, length);
        }
    }
}
