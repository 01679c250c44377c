package io.trainserve.engine.spec;

/**
 * Feature scalings: none, minmax ([0,1]), minmax_symmetric ([-1,1]), standardize (z-score), pixel
 * (/255, the default for images).
 */
public enum ScalingKind implements Vocabulary.Word {
    NONE, MINMAX, MINMAX_SYMMETRIC, STANDARDIZE, PIXEL;

    @Override
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
