package io.trainserve.service.dataset;

/** Whether a queued or running job still needs a dataset (implemented by the training feature). */
public interface DatasetUsage {
    boolean inUse(String datasetId);
}
