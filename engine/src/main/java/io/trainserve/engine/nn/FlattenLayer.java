package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Channels-first flatten of an image batch into vectors; a view, no copy (inputs are c-ordered). */
public final class FlattenLayer extends Layer {
    public FlattenLayer(String name, Shape inputShape) {
        super(name, inputShape);
    }

    @Override
    public String type() { return "flatten"; }

    @Override
    public Shape outputShape() { return Shape.vector(inputShape.size()); }

    @Override
    public INDArray forward(INDArray input, ForwardContext context) {
        if (input.rank() == 2) return input;
        INDArray in = input.ordering() == 'c' ? input : input.dup('c');
        return in.reshape('c', in.size(0), inputShape.size());
    }

    @Override
    public INDArray backward(INDArray epsilon, boolean needInputGradient) {
        if (!inputShape.isImage()) return epsilon;
        INDArray e = epsilon.ordering() == 'c' ? epsilon : epsilon.dup('c');
        return e.reshape('c', inputShape.batchShape((int) e.size(0)));
    }
}
