package io.trainserve.engine.spec;

/** Keras EarlyStopping: stop when {@code monitor} has not improved by {@code minDelta} for {@code patience} epochs. */
public record EarlyStoppingSpec(String monitor, Double minDelta, Integer patience, String mode,
                                Boolean restoreBestWeights, Double baseline) {
}
