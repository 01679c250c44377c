package io.trainserve.engine.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Images with one label each: grayscale from an IDX pair (MNIST, Fashion-MNIST), or one or three
 * channels from a zip of class folders ({@link ImageFolders}).
 *
 * @param pixels     row-major {@code count x channels x rows x cols} unsigned bytes (channels first)
 * @param labels     one unsigned byte per image
 * @param classNames the class name of each label value (folder names, sorted), or null when the
 *                   labels are their own names (IDX: the label number as text)
 * @param sha256     hex SHA-256 identifying the raw files
 */
public record ImageSet(int count, int channels, int rows, int cols, byte[] pixels, byte[] labels, List<String> classNames,
                       String sha256) {
    public ImageSet {
        Objects.requireNonNull(pixels);
        Objects.requireNonNull(labels);
        if (channels < 1) throw new IllegalArgumentException(channels + " channels");
        if ((long) count * channels * rows * cols != pixels.length) {
            throw new IllegalArgumentException(pixels.length + " pixels, expected " + count + " x " + channels + " x " + rows + " x " + cols);
        }
        if (labels.length != count) throw new IllegalArgumentException(labels.length + " labels for " + count + " images");
        classNames = classNames == null ? null : List.copyOf(classNames);
    }

    /** One-channel images whose labels are their own names, as an IDX pair holds. */
    public ImageSet(int count, int rows, int cols, byte[] pixels, byte[] labels, String sha256) {
        this(count, 1, rows, cols, pixels, labels, null, sha256);
    }

    /** These images with folder names for their label values. */
    public ImageSet withClassNames(List<String> names) {
        return new ImageSet(count, channels, rows, cols, pixels, labels, names, sha256);
    }

    /** Label of image {@code i} as 0..255. */
    public int label(int i) {
        return labels[i] & 0xFF;
    }

    /** Bytes per image. */
    public int size() {
        return channels * rows * cols;
    }

    /** The name of image {@code i}'s class. */
    public String className(int i) {
        return classNames == null ? Integer.toString(label(i)) : classNames.get(label(i));
    }

    /** The class names: every folder for folder images, else the distinct labels present, in numeric order. */
    public List<String> classes() {
        if (classNames != null) return classNames;
        boolean[] seen = new boolean[256];
        for (int i = 0; i < count; i++) seen[label(i)] = true;
        List<String> names = new ArrayList<>();
        for (int l = 0; l < 256; l++) if (seen[l]) names.add(Integer.toString(l));
        return List.copyOf(names);
    }

    /** Images per class, in the order of {@link #classes()}. */
    public List<Long> classCounts() {
        long[] perLabel = new long[256];
        for (int i = 0; i < count; i++) perLabel[label(i)]++;
        if (classNames != null) {
            List<Long> counts = new ArrayList<>();
            for (int l = 0; l < classNames.size(); l++) counts.add(perLabel[l]);
            return List.copyOf(counts);
        }
        return classes().stream().map(name -> perLabel[Integer.parseInt(name)]).toList();
    }
}
