package io.trainserve.service.prediction;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Server-side dynamic batching (off by default): concurrent predicts of one model version are joined into
 * one forward pass of up to {@code maxBatchSize} rows, waiting at most {@code maxDelay} for company.
 *
 * @param models the model ids to batch; empty means every model (when enabled)
 */
@ConfigurationProperties("trainserve.serving.batching")
record BatchingProperties(@DefaultValue("false") boolean enabled, @DefaultValue("64") int maxBatchSize,
                          @DefaultValue("2ms") Duration maxDelay, @DefaultValue List<String> models) {
    boolean appliesTo(String modelId) {
        return enabled && (models == null || models.isEmpty() || models.contains(modelId));
    }
}
