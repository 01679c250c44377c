package io.trainserve.engine.spec;

/** Activations of dense and conv2d layers (default {@link KerasDefaults#ACTIVATION}). */
public enum Activation implements Vocabulary.Word {
    LINEAR, RELU, LEAKY_RELU, ELU, SIGMOID, TANH, SOFTMAX;

    @Override
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
