package io.trainserve.service.dataset;

import io.trainserve.service.storage.CorruptBlobException;

/** A stored dataset's bytes no longer match the checksum recorded at upload: it must not be trained on. */
public class CorruptDatasetException extends RuntimeException {
    private final String datasetId;

    CorruptDatasetException(String datasetId, CorruptBlobException cause) {
        super("dataset " + datasetId + " is corrupt in storage (" + cause.getMessage() + "); upload it again", cause);
        this.datasetId = datasetId;
    }

    public String datasetId() {
        return datasetId;
    }
}
