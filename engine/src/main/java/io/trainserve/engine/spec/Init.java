package io.trainserve.engine.spec;

/** Weight initializations of dense and conv2d layers (default {@link KerasDefaults#INIT}, as Keras' glorot_uniform). */
public enum Init implements Vocabulary.Word {
    XAVIER, HE, NORMAL, UNIFORM, ZEROS;

    @Override
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
