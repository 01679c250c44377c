package io.trainserve.service.instance;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param heartbeatInterval how often this instance writes its heartbeat to {@code instances}
 * @param missedHeartbeats  an instance whose heartbeat is older than this many intervals is not listed
 */
@ConfigurationProperties("trainserve.instances")
record InstanceProperties(@DefaultValue("2s") Duration heartbeatInterval, @DefaultValue("4") int missedHeartbeats) {
}
