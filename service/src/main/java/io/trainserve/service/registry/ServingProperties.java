package io.trainserve.service.registry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param refreshInterval how often each instance reads the registry's change stamp (changes made on other
 *                        instances are served within about this long)
 * @param warmUp          load and warm up a version's bundle as soon as it becomes a latest version or an alias target
 */
@ConfigurationProperties("trainserve.serving")
record ServingProperties(@DefaultValue("500ms") Duration refreshInterval, @DefaultValue("true") boolean warmUp) {
}
