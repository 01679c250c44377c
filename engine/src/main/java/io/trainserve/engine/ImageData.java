package io.trainserve.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * Images with one label each, as the engine read them: grayscale from an IDX pair ({@link DataFiles#readIdx}),
 * or one or three channels from a zip of class folders ({@link DataFiles#readImageFolders}); turned into
 * {@link Dataset}s for training or for a trained model. Do not modify the arrays.
 */
public interface ImageData {
    int count();

    int channels();

    int rows();

    int cols();

    /** Bytes per image: {@code channels x rows x cols}. */
    default int size() {
        return channels() * rows() * cols();
    }

    /** Row-major {@code count x channels x rows x cols} unsigned bytes (channels first). */
    byte[] pixels();

    /** One unsigned byte per image. */
    byte[] labels();

    /** Label of image {@code i} as 0..255. */
    default int label(int i) {
        return labels()[i] & 0xFF;
    }

    /** The class name of each label value (folder names, sorted), or null when the labels are their own names (IDX). */
    List<String> classNames();

    /** The name of image {@code i}'s class. */
    String className(int i);

    /** The class names: every folder for folder images, else the distinct labels present, in numeric order. */
    List<String> classes();

    /** Images per class, in the order of {@link #classes()}. */
    List<Long> classCounts();

    /** These images with folder names for their label values (as stored at upload: the IDX pair does not keep them). */
    ImageData withClassNames(List<String> names);

    /** Writes these images as an IDX pair that {@link DataFiles#readIdx} reads back (magic 2052 when they have channels). */
    void writeIdx(Path images, Path labels);

    /** Hex SHA-256 identifying the raw files. */
    String sha256();

    /** What the images hold (shape, class names), kept at upload. */
    DatasetDescription describe();

    /** Pixels 0..255 as floats (scaling is fitted later); the class names are {@link #classes()}. */
    Dataset dataset();

    /** Images labelled with the training set's class names (a test set may lack some classes, but not add any). */
    Dataset dataset(Target.Classes trainTarget);
}
