package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Placeholder: being implemented with libnd4j conv2d / conv2d_bp. */
public final class Conv2DLayer extends Layer {
    private final Shape out;

    public Conv2DLayer(String name, Shape in, int filters, int kh, int kw, int sh, int sw, boolean same,
                       String activation, Double alpha, String init) {
        super(name, in);
        out = Shape.image(filters, ConvGeometry.outSize(in.height(), kh, sh, same), ConvGeometry.outSize(in.width(), kw, sw, same));
    }

    @Override public String type() { return "conv2d"; }
    @Override public Shape outputShape() { return out; }
    @Override public INDArray forward(INDArray input, ForwardContext context) { throw new UnsupportedOperationException("conv2d"); }
    @Override public INDArray backward(INDArray epsilon, boolean needInputGradient) { throw new UnsupportedOperationException("conv2d"); }
}
