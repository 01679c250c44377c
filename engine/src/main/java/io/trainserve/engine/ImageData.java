package io.trainserve.engine;

/**
 * Grayscale images with one label each, as the engine read them from an IDX pair ({@link DataFiles#readIdx}),
 * turned into {@link Dataset}s for training or for a trained model. Do not modify the arrays.
 */
public interface ImageData {
    int count();

    int rows();

    int cols();

    /** Row-major {@code count x rows x cols} unsigned bytes. */
    byte[] pixels();

    /** One unsigned byte per image. */
    byte[] labels();

    /** Label of image {@code i} as 0..255. */
    default int label(int i) {
        return labels()[i] & 0xFF;
    }

    /** Hex SHA-256 identifying both raw files together. */
    String sha256();

    /** What the images hold (shape, labels present), kept at upload. */
    DatasetDescription describe();

    /** Pixels 0..255 as floats (scaling is fitted later); class names are the distinct labels. */
    Dataset dataset();

    /** Images labelled with the training set's class names (a test set may lack some classes, but not add any). */
    Dataset dataset(Target.Classes trainTarget);
}
