package io.trainserve.service.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param pollInterval     how often the shared poller reads the watched jobs from the database
 * @param progressInterval least time between two progress events to one watcher (epoch events are never held back)
 * @param heartbeat        how often an idle stream gets a comment line (notices clients that went away)
 * @param timeout          a stream ends after this long; the client reconnects with Last-Event-ID
 * @param finishedWindow   how long after it finished a job still counts as changed for {@code GET /jobs/events}
 */
@ConfigurationProperties("trainserve.events")
record EventProperties(@DefaultValue("250ms") Duration pollInterval, @DefaultValue("500ms") Duration progressInterval,
                       @DefaultValue("15s") Duration heartbeat, @DefaultValue("30m") Duration timeout,
                       @DefaultValue("60s") Duration finishedWindow) {
}
