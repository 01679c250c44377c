package io.trainserve.engine.spec;

/**
 * How to fit: optimizer, learning rate, epochs, batch size, shuffling, seed, penalties, callbacks.
 * Unset values take Keras defaults (see {@link ResolvedTraining}).
 *
 * @param momentum    for momentum/nesterov (default 0.9)
 * @param classWeight null (every row counts the same) or "balanced": a classifier's rows are weighted
 *                    {@code n / (classes * rowsOfTheirClass)} in the loss gradient, as scikit-learn's
 *                    {@code compute_class_weight("balanced")} passed to Keras' {@code class_weight}
 */
public record TrainingSpec(String optimizer, Double learningRate, Integer epochs, Integer batchSize,
                           Boolean shuffle, Long seed, Double momentum,
                           RegularizationSpec regularization, CallbacksSpec callbacks, String classWeight) {

    public TrainingSpec(String optimizer, Double learningRate, Integer epochs, Integer batchSize, Boolean shuffle, Long seed,
                        Double momentum, RegularizationSpec regularization, CallbacksSpec callbacks) {
        this(optimizer, learningRate, epochs, batchSize, shuffle, seed, momentum, regularization, callbacks, null);
    }

    public static TrainingSpec of(String optimizer, double learningRate, int epochs, int batchSize, long seed) {
        return new TrainingSpec(optimizer, learningRate, epochs, batchSize, true, seed, null, null, null);
    }

    public TrainingSpec withRegularization(RegularizationSpec r) {
        return new TrainingSpec(optimizer, learningRate, epochs, batchSize, shuffle, seed, momentum, r, callbacks, classWeight);
    }

    public TrainingSpec withCallbacks(CallbacksSpec c) {
        return new TrainingSpec(optimizer, learningRate, epochs, batchSize, shuffle, seed, momentum, regularization, c, classWeight);
    }

    public TrainingSpec withShuffle(boolean s) {
        return new TrainingSpec(optimizer, learningRate, epochs, batchSize, s, seed, momentum, regularization, callbacks, classWeight);
    }

    public TrainingSpec withEpochs(int e) {
        return new TrainingSpec(optimizer, learningRate, e, batchSize, shuffle, seed, momentum, regularization, callbacks, classWeight);
    }
}
