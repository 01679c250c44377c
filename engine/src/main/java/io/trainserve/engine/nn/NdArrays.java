package io.trainserve.engine.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Bulk copies between Java arrays and contiguous ND4J arrays through the native buffer itself:
 * one memcpy-speed transfer instead of element-by-element access or an allocation. Arrays are
 * float32 in production and float64 in gradient checks ({@link Nd4j#defaultFloatingPointType()}).
 */
public final class NdArrays {
    private NdArrays() {
    }

    public static INDArray zeros(char order, long... shape) {
        return Nd4j.create(Nd4j.defaultFloatingPointType(), shape, order);
    }

    /** The array itself when it is contiguous c-order (what libnd4j's NCHW ops expect), else a c-order copy. */
    public static INDArray cOrder(INDArray a) {
        return a.ordering() == 'c' && (a.elementWiseStride() == 1 || a.length() == 1) ? a : a.dup('c');
    }

    public static void write(float[] src, int srcOffset, INDArray dst) {
        int n = (int) dst.length();
        if (dst.dataType() == DataType.FLOAT) {
            floats(dst).put(src, srcOffset, n);
        } else {
            DoubleBuffer d = doubles(dst);
            for (int i = 0; i < n; i++) d.put(i, src[srcOffset + i]);
        }
    }

    /** Copies {@code src[0, length)} into the contiguous {@code dst} from its element {@code at}. */
    public static void writeAt(float[] src, int length, INDArray dst, int at) {
        if (dst.dataType() == DataType.FLOAT) {
            floats(dst).put(at, src, 0, length);
        } else {
            DoubleBuffer d = doubles(dst);
            for (int i = 0; i < length; i++) d.put(at + i, src[i]);
        }
    }

    public static void write(double[] src, INDArray dst) {
        int n = (int) dst.length();
        if (dst.dataType() == DataType.DOUBLE) {
            doubles(dst).put(src, 0, n);
        } else {
            FloatBuffer f = floats(dst);
            for (int i = 0; i < n; i++) f.put(i, (float) src[i]);
        }
    }

    public static float[] read(INDArray src) {
        float[] out = new float[(int) src.length()];
        read(src, out);
        return out;
    }

    public static void read(INDArray src, float[] dst) {
        int n = (int) src.length();
        if (src.dataType() == DataType.FLOAT) {
            floats(src).get(dst, 0, n);
        } else {
            DoubleBuffer d = doubles(src);
            for (int i = 0; i < n; i++) dst[i] = (float) d.get(i);
        }
    }

    public static void read(INDArray src, double[] dst) {
        int n = (int) src.length();
        if (src.dataType() == DataType.DOUBLE) {
            doubles(src).get(dst, 0, n);
        } else {
            FloatBuffer f = floats(src);
            for (int i = 0; i < n; i++) dst[i] = f.get(i);
        }
    }

    private static ByteBuffer bytes(INDArray a, int elementSize) {
        if (a.elementWiseStride() != 1 && a.length() > 1) {
            throw new IllegalArgumentException("need a contiguous array, got " + a.shapeInfoToString());
        }
        ByteBuffer all = a.data().asNio().order(ByteOrder.nativeOrder());
        return all.position((int) (a.offset() * elementSize)).limit((int) ((a.offset() + a.length()) * elementSize)).slice()
                .order(ByteOrder.nativeOrder());
    }

    /** The float32 array's own memory (its element order), for fused kernels. */
    public static FloatBuffer floatBuffer(INDArray a) {
        return floats(a);
    }

    /** The float64 array's own memory (its element order), for the float64 twins of fused kernels. */
    public static DoubleBuffer doubleBuffer(INDArray a) {
        return doubles(a);
    }

    /**
     * An f-ordered {@code rows x cols} matrix over the first {@code rows * cols} elements of a
     * contiguous array: a view sharing its memory, so work buffers sized for the largest case also
     * serve smaller ones without a copy.
     */
    static INDArray fMatrixView(INDArray flat, long rows, long cols) {
        if (rows * cols > flat.length() || (flat.elementWiseStride() != 1 && flat.length() > 1)) {
            throw new IllegalArgumentException(rows + "x" + cols + " does not fit " + flat.shapeInfoToString());
        }
        return Nd4j.create(flat.data(), new long[]{rows, cols}, new long[]{1, rows}, flat.offset(), 'f');
    }

    private static FloatBuffer floats(INDArray a) {
        return bytes(a, 4).asFloatBuffer();
    }

    private static DoubleBuffer doubles(INDArray a) {
        return bytes(a, 8).asDoubleBuffer();
    }
}
