package io.trainserve.engine;

/**
 * Where a model came from: enough to reproduce it and to know what built it.
 *
 * @param imported set when the model was not trained here but imported from another framework's file
 */
public record Provenance(String datasetChecksum, long seed, String engineVersion, String nd4jVersion, String jvm,
                         String os, String trainedAt, double trainingSeconds, int epochsRun, String baseModel, Imported imported) {

    /**
     * @param format       the file's format, e.g. {@code keras-h5}
     * @param fileName     the uploaded file's name
     * @param sha256       the uploaded file's SHA-256, hex
     * @param kerasVersion the {@code keras_version} the file was saved with
     * @param backend      the {@code backend} the file was saved with
     * @param importedAt   ISO-8601 instant of the import
     */
    public record Imported(String format, String fileName, String sha256, String kerasVersion, String backend, String importedAt) {
    }
}
