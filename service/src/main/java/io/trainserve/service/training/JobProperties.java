package io.trainserve.service.training;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param concurrency      jobs trained at once on this instance (the scheduler's thread count)
 * @param progressInterval least time between two writes of a running job's progress, epoch history rows and
 *                         latest metrics (buffered in between; also written before each checkpoint and at the end)
 * @param cancelCheckInterval how often a running job looks in the database for a cancel request
 * @param checkpointInterval  least time between two epoch checkpoints (the last epoch is always written)
 * @param nice               OS niceness of a training job's threads (Linux; 0 = as the request threads, up to 19):
 *                           predicts keep their latency while a job trains on the same cores, and the job still
 *                           takes every idle cycle
 */
@ConfigurationProperties("trainserve.jobs")
record JobProperties(@DefaultValue("1") int concurrency, @DefaultValue("500ms") Duration progressInterval,
                     @DefaultValue("1s") Duration cancelCheckInterval, @DefaultValue("2s") Duration checkpointInterval,
                     @DefaultValue("10") int nice) {
}
