package io.trainserve.engine;

/** Where a model came from: enough to reproduce it and to know what built it. */
public record Provenance(String datasetChecksum, long seed, String engineVersion, String nd4jVersion, String jvm,
                         String os, String trainedAt, double trainingSeconds, int epochsRun, String baseModel) {
}
