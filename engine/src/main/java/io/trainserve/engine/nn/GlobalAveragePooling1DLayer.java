package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' GlobalAveragePooling1D: the mean over the time steps of a {@code [timesteps, features]} sequence,
 * giving {@code [features]} (a bag of embedded tokens, IMDB-style).
 */
public final class GlobalAveragePooling1DLayer extends Layer {
    private final int timesteps, features;

    public GlobalAveragePooling1DLayer(String name, Shape inputShape) {
        super(name, inputShape);
        this.timesteps = inputShape.timesteps();
        this.features = inputShape.features();
    }

    @Override
    public String type() { return "global_average_pooling1d"; }

    @Override
    public Shape outputShape() { return Shape.vector(features); }

    @Override
    public INDArray forward(INDArray input, ForwardContext context) {
        int batch = (int) input.size(0);
        double[] x = Recurrent.read(input), out = new double[batch * features];
        for (int n = 0; n < batch; n++) {
            for (int t = 0; t < timesteps; t++) {
                for (int f = 0; f < features; f++) out[n * features + f] += x[(n * timesteps + t) * features + f] / timesteps;
            }
        }
        return Recurrent.create(out, input, batch, features);
    }

    @Override
    public INDArray backward(INDArray epsilon, boolean needInputGradient) {
        if (!needInputGradient) return null;
        int batch = (int) epsilon.size(0);
        double[] e = Recurrent.read(epsilon), dx = new double[batch * timesteps * features];
        for (int n = 0; n < batch; n++) {
            for (int t = 0; t < timesteps; t++) {
                for (int f = 0; f < features; f++) dx[(n * timesteps + t) * features + f] = e[n * features + f] / timesteps;
            }
        }
        return Recurrent.create(dx, epsilon, batch, timesteps, features);
    }
}
