package io.trainserve.engine.data;

import java.util.Objects;

/**
 * Grayscale images with one label each, as read from an IDX pair (MNIST, Fashion-MNIST).
 *
 * @param pixels row-major {@code count x rows x cols} unsigned bytes
 * @param labels one unsigned byte per image
 * @param sha256 hex SHA-256 identifying both raw files together
 */
public record ImageSet(int count, int rows, int cols, byte[] pixels, byte[] labels, String sha256) {
    public ImageSet {
        Objects.requireNonNull(pixels);
        Objects.requireNonNull(labels);
        if ((long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException(pixels.length + " pixels, expected " + count + " x " + rows + " x " + cols);
        }
        if (labels.length != count) throw new IllegalArgumentException(labels.length + " labels for " + count + " images");
    }

    /** Label of image {@code i} as 0..255. */
    public int label(int i) {
        return labels[i] & 0xFF;
    }
}
