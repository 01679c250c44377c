package io.trainserve.engine.spec;

/** conv2d / max_pool2d padding (default valid). */
public enum Padding implements Vocabulary.Word {
    VALID, SAME;

    @Override
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
