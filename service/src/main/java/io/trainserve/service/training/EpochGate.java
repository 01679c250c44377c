package io.trainserve.service.training;

import java.util.Map;

/**
 * Lets another feature stop a sweep trial at the end of an epoch (a sweep's ASHA rungs). The job then ends
 * CANCELLED like a cancelled one. Consulted only for jobs that belong to a sweep.
 */
public interface EpochGate {
    EpochGate NEVER = (jobId, epoch, epochs, metrics) -> false;

    /**
     * @param epoch   the epoch that just ended (1-based)
     * @param epochs  the epochs the run would train in all
     * @param metrics that epoch's training and validation metrics
     * @return true to stop the job now
     */
    boolean stopAfter(String jobId, int epoch, int epochs, Map<String, Double> metrics);
}
