package io.trainserve.engine;

import java.nio.file.Path;

/**
 * The engine's readers for uploaded data: a CSV file (optionally gzipped) as a {@link DataTable}, an IDX
 * pair (MNIST's format) or a zip of image class folders as {@link ImageData}, and single PNG or JPEG files
 * as model input. A file that does not hold what it should raises {@link InvalidDataException} (or
 * {@link InvalidArchiveException} for a zip) saying where and what.
 */
public final class DataFiles {
    private DataFiles() {
    }

    public static DataTable readCsv(Path file) {
        return Backend.INSTANCE.readCsv(file);
    }

    public static ImageData readIdx(Path images, Path labels) {
        return Backend.INSTANCE.readIdx(images, labels);
    }

    /**
     * A zip whose top-level folders name the classes, decoded and resized to {@code height x width}.
     *
     * @param height requested height, or 0 (with width 0) for the most common size, capped at {@link ImageFolderLimits#DEFAULT_CAP}
     * @throws InvalidArchiveException naming the entry that cannot be used or the limit exceeded
     */
    public static ImageData readImageFolders(Path zip, int height, int width, ImageFolderLimits limits) {
        return Backend.INSTANCE.readImageFolders(zip, height, width, limits);
    }

    /** The width and height a PNG or JPEG file declares, read from its header without decoding; null when it is neither. */
    public static int[] imageSize(byte[] file) {
        return Backend.INSTANCE.imageSize(file);
    }

    /**
     * A PNG or JPEG file as model input, resized exactly as folder images are: {@code channels x height x width}
     * values 0..255 (channels 1: luma, 3: RGB); null when it is neither or corrupt. Check {@link #imageSize}
     * first: decoding allocates every pixel.
     */
    public static byte[] imagePixels(byte[] file, int channels, int height, int width) {
        return Backend.INSTANCE.imagePixels(file, channels, height, width);
    }
}
