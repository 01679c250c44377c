package io.trainserve.engine.spec;

/**
 * Keras ModelCheckpoint. With {@code saveBestOnly} the model kept at the end of training is the
 * best epoch by {@code monitor}, not the last one.
 */
public record ModelCheckpointSpec(String monitor, Boolean saveBestOnly, String mode) {
}
