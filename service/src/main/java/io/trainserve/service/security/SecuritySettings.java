package io.trainserve.service.security;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code trainserve.security.*}.
 *
 * @param enabled           false turns every check off (local experiments only; logged as a loud warning)
 * @param adminKey          env {@code TRAINSERVE_ADMIN_KEY}: this secret becomes an admin key at start (at least 32 characters)
 * @param metricsKey        env {@code TRAINSERVE_SECURITY_METRICS_KEY} (or a config tree file, as docker-compose.yml
 *                          passes it): this secret becomes a key of role metrics at start, for Prometheus
 * @param revocationPoll    how often an instance checks whether another one revoked a key
 * @param lastUsedFlush     how often the keys' last-used times are written (in one batch)
 * @param rateLimit         per-key request budgets
 * @param cors              cross-origin browsers allowed (none by default)
 */
@ConfigurationProperties("trainserve.security")
public record SecuritySettings(@DefaultValue("true") boolean enabled,
                               String adminKey,
                               String metricsKey,
                               @DefaultValue("500ms") Duration revocationPoll,
                               @DefaultValue("10s") Duration lastUsedFlush,
                               @DefaultValue RateLimit rateLimit,
                               @DefaultValue Cors cors) {
    public SecuritySettings {
        adminKey = checked(adminKey, "trainserve.security.admin-key (env TRAINSERVE_ADMIN_KEY)");
        metricsKey = checked(metricsKey, "trainserve.security.metrics-key (env TRAINSERVE_SECURITY_METRICS_KEY)");
    }

    /** null when unset; refuses a secret shorter than 32 characters, saying why and never repeating it. */
    private static String checked(String secret, String what) {
        if (secret == null || secret.isBlank()) return null;
        String s = secret.strip();
        if (s.length() < KeySecrets.MIN_LENGTH) {
            throw new IllegalArgumentException(what + " is " + s.length() + " characters long; it must have at least "
                    + KeySecrets.MIN_LENGTH + " (use a random secret, e.g. ts_ followed by the output of: openssl rand -hex 32)");
        }
        return s;
    }

    /**
     * Token buckets per key, refilled smoothly: {@code predict} requests per {@code predictPeriod} on POST
     * /models/{id}/predict and the v2 infer endpoints (generous by default, 50,000 a second, so serving
     * benchmarks are not throttled), {@code jobs} per {@code jobsPeriod} on POST /jobs.
     */
    public record RateLimit(@DefaultValue("50000") long predict, @DefaultValue("1s") Duration predictPeriod,
                            @DefaultValue("60") long jobs, @DefaultValue("1m") Duration jobsPeriod) {
    }

    /** @param allowedOrigins origins whose browsers may call the API (e.g. https://ml.example.com); empty = none */
    public record Cors(@DefaultValue List<String> allowedOrigins) {
    }
}
