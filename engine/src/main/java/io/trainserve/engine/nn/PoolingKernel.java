package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max pooling over every channel plane of an NCHW batch, remembering each maximum's offset within
 * its plane so the backward pass is a scatter: the generic window loops ({@link MaxPooling}) or the
 * 2×2 stride-2 special case ({@link MaxPool2x2}), which agree element for element.
 */
interface PoolingKernel {
    /**
     * @param planes batch × channels
     * @param argmax receives, per output element, the winning input's offset within its plane; null
     *               for inference, which then only takes maxima
     */
    void forward(INDArray input, int planes, INDArray output, int[] argmax);

    /** dx = 0 except that each input element collects the gradients of the windows it won. */
    void backward(INDArray eps, int planes, int[] argmax, INDArray dx);

    /** The kernel for a window geometry on one plane: the 2×2 stride-2 loops where they apply. */
    static PoolingKernel of(int height, int width, int ph, int pw, int sh, int sw, boolean same) {
        boolean padded = same && (ConvGeometry.samePadding(height, ph, sh) > 0 || ConvGeometry.samePadding(width, pw, sw) > 0);
        if (ph == 2 && pw == 2 && sh == 2 && sw == 2 && !padded && height >= 2 && width >= 2) return new MaxPool2x2(height, width);
        return new MaxPooling(new PatchIndex(1, height, width, ph, pw, sh, sw, same));
    }
}
