package io.trainserve.service.sweep;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param stepInterval how often this instance steps each running sweep (queues its next trials, publishes the best
 *                     once all ended); every instance does, the sweep's optimistic lock keeps them from doing a step twice
 * @param enabled      false: this instance never steps sweeps (others sharing the database do)
 */
@ConfigurationProperties("trainserve.sweeps")
record SweepProperties(@DefaultValue("1s") Duration stepInterval, @DefaultValue("true") boolean enabled) {
}
