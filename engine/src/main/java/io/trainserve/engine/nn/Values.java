package io.trainserve.engine.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Element access to a contiguous float32 or float64 array's own memory (in its element order),
 * so one fused Java loop serves both the float32 training path and the float64 gradient checks.
 * Arithmetic is done in double either way. In production only {@link Floats} is ever loaded, so
 * the calls are monomorphic and inline to plain buffer accesses.
 */
sealed interface Values permits Values.Floats, Values.Doubles {
    double get(int i);

    void set(int i, double v);

    static Values of(INDArray a) {
        if (a.dataType() == DataType.FLOAT) return new Floats(NdArrays.floatBuffer(a));
        if (a.dataType() == DataType.DOUBLE) return new Doubles(NdArrays.doubleBuffer(a));
        throw new IllegalArgumentException("need a float32 or float64 array, got " + a.dataType());
    }

    /** True when {@link #of} applies to {@code a} as it is: contiguous in {@code order}, of the given type. */
    static boolean usable(INDArray a, char order, DataType type) {
        return a.dataType() == type && (a.ordering() == order || a.length() == 1)
                && (a.elementWiseStride() == 1 || a.length() == 1);
    }

    record Floats(FloatBuffer buffer) implements Values {
        @Override
        public double get(int i) { return buffer.get(i); }

        @Override
        public void set(int i, double v) { buffer.put(i, (float) v); }
    }

    record Doubles(DoubleBuffer buffer) implements Values {
        @Override
        public double get(int i) { return buffer.get(i); }

        @Override
        public void set(int i, double v) { buffer.put(i, v); }
    }
}
