package io.trainserve.engine.spec;

/** Optimizers with Keras' default learning rate for each. */
public enum Optimizer implements Vocabulary.Word {
    SGD(0.01), MOMENTUM(0.01), NESTEROV(0.01), ADAM(0.001), RMSPROP(0.001), ADAGRAD(0.001), ADADELTA(0.001);

    private final double defaultLearningRate;

    Optimizer(double defaultLearningRate) {
        this.defaultLearningRate = defaultLearningRate;
    }

    @Override
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public double defaultLearningRate() {
        return defaultLearningRate;
    }
}
