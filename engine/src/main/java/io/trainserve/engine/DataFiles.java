package io.trainserve.engine;

import java.nio.file.Path;

/**
 * The engine's readers for uploaded data: a CSV file (optionally gzipped) as a {@link DataTable}, an IDX
 * pair (MNIST's format) as {@link ImageData}. A file that does not hold what it should raises
 * {@link InvalidDataException} saying where and what.
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
}
