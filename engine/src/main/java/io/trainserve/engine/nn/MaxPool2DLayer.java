package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Placeholder: being implemented with libnd4j maxpool2d / maxpool2d_bp. */
public final class MaxPool2DLayer extends Layer {
    private final Shape out;

    public MaxPool2DLayer(String name, Shape in, int ph, int pw, int sh, int sw, boolean same) {
        super(name, in);
        out = Shape.image(in.channels(), ConvGeometry.outSize(in.height(), ph, sh, same), ConvGeometry.outSize(in.width(), pw, sw, same));
    }

    @Override public String type() { return "max_pool2d"; }
    @Override public Shape outputShape() { return out; }
    @Override public INDArray forward(INDArray input, ForwardContext context) { throw new UnsupportedOperationException("max_pool2d"); }
    @Override public INDArray backward(INDArray epsilon, boolean needInputGradient) { throw new UnsupportedOperationException("max_pool2d"); }
}
