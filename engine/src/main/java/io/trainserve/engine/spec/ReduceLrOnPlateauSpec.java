package io.trainserve.engine.spec;

/** Keras ReduceLROnPlateau: lr *= factor after {@code patience} epochs without improvement of {@code monitor}. */
public record ReduceLrOnPlateauSpec(String monitor, Double factor, Integer patience, Double minDelta,
                                    Integer cooldown, Double minLr, String mode) {
}
