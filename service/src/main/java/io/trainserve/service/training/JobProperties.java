package io.trainserve.service.training;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param concurrency      jobs trained at once on this instance (the scheduler's thread count)
 * @param progressInterval how often a running job writes its step progress (epoch ends are always written)
 * @param cancelCheckInterval how often a running job looks in the database for a cancel request
 * @param checkpointInterval  least time between two epoch checkpoints (the last epoch is always written)
 */
@ConfigurationProperties("trainserve.jobs")
record JobProperties(@DefaultValue("1") int concurrency, @DefaultValue("1s") Duration progressInterval,
                     @DefaultValue("1s") Duration cancelCheckInterval, @DefaultValue("2s") Duration checkpointInterval) {
}
