package io.trainserve.engine.nn;

/** Output size of a convolution or pooling window along one axis, Keras rules. */
public final class ConvGeometry {
    private ConvGeometry() {
    }

    public static int outSize(int in, int kernel, int stride, boolean same) {
        return same ? (in + stride - 1) / stride : (in - kernel) / stride + 1;
    }

    /** Total padding Keras' "same" adds along an axis (the extra pixel, if odd, goes after). */
    public static int samePadding(int in, int kernel, int stride) {
        int out = outSize(in, kernel, stride, true);
        return Math.max((out - 1) * stride + kernel - in, 0);
    }
}
