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
        return Math.max(span(outSize(in, kernel, stride, true), kernel, stride) - in, 0);
    }

    /**
     * Input elements some window reads along an axis, padding aside: with "valid" padding the last
     * {@code (in - kernel) % stride} are never read.
     */
    public static int inputRead(int in, int kernel, int stride, boolean same) {
        return same ? in : span(outSize(in, kernel, stride, false), kernel, stride);
    }

    /** Elements {@code out} windows cover, from the first window's first to the last window's last. */
    private static int span(int out, int kernel, int stride) {
        return (out - 1) * stride + kernel;
    }
}
