package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Channels-first flatten of an image batch into vectors; a view, no copy (inputs are c-ordered). */
public final class FlattenLayer extends Layer {
    /** dL/dInput in image layout, for gradients that arrive f-ordered (a dense layer's product). */
    private final BatchBuffers<INDArray> imageGradients;
    private final ReshapeCache flatView = new ReshapeCache(), imageView = new ReshapeCache();

    public FlattenLayer(String name, Shape inputShape) {
        super(name, inputShape);
        imageGradients = new BatchBuffers<>(b -> NdArrays.zeros('c', inputShape.batchShape(b)));
    }

    @Override
    public String type() { return "flatten"; }

    @Override
    public Shape outputShape() { return Shape.vector(inputShape.size()); }

    @Override
    public INDArray forward(INDArray input, ForwardContext context) {
        if (input.rank() == 2) return input;
        if (input.ordering() != 'c') return input.dup('c').reshape('c', input.size(0), inputShape.size());
        return flatView.view(input, in -> in.reshape('c', in.size(0), inputShape.size()));
    }

    @Override
    public INDArray backward(INDArray epsilon, boolean needInputGradient) {
        if (!inputShape.isImage()) return epsilon;
        int batch = (int) epsilon.size(0);
        if (epsilon.ordering() == 'c') return imageView.view(epsilon, e -> e.reshape('c', inputShape.batchShape(batch)));
        INDArray image = imageGradients.forBatch(batch); // a copy into our buffer, not a new array per step
        image.reshape('c', batch, inputShape.size()).assign(epsilon);
        return image;
    }
}
