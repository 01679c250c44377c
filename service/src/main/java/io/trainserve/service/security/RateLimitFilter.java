package io.trainserve.service.security;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-key token buckets (bucket4j) on predict and on job submission; an empty bucket answers 429 with
 * {@code Retry-After}. Runs after authorization, so only requests the key may make are counted.
 */
class RateLimitFilter extends OncePerRequestFilter {
    private static final PathPatternRequestMatcher.Builder PATHS = PathPatternRequestMatcher.withDefaults();
    private final Limit predict;
    private final Limit jobs;
    private final ProblemWriter problems;

    private record Limit(String what, RequestMatcher matcher, long capacity, Duration period, Map<String, Bucket> buckets) {
        Bucket bucket(String keyId) {
            return buckets.computeIfAbsent(keyId, k -> Bucket.builder()
                    .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, period).build()).build());
        }
    }

    RateLimitFilter(SecuritySettings.RateLimit settings, ProblemWriter problems) {
        this.predict = new Limit("predict", new OrRequestMatcher(PATHS.matcher(HttpMethod.POST, "/models/{id}/predict"),
                PATHS.matcher(HttpMethod.POST, "/v2/models/**")), settings.predict(), settings.predictPeriod(), new ConcurrentHashMap<>());
        // a sweep is one submission of the same budget (its trials are bounded by its maxTrials)
        this.jobs = new Limit("job submission", new OrRequestMatcher(PATHS.matcher(HttpMethod.POST, "/jobs"),
                PATHS.matcher(HttpMethod.POST, "/sweeps")), settings.jobs(), settings.jobsPeriod(), new ConcurrentHashMap<>());
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof KeyAuthentication key && "POST".equals(request.getMethod())) {
            Limit limit = predict.matcher().matches(request) ? predict : jobs.matcher().matches(request) ? jobs : null;
            if (limit != null) {
                ConsumptionProbe probe = limit.bucket(key.keyId()).tryConsumeAndReturnRemaining(1);
                if (!probe.isConsumed()) {
                    long retryAfter = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
                    response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
                    problems.write(response, HttpStatus.TOO_MANY_REQUESTS, "too-many-requests", "Too many requests",
                            "the key '" + key.name() + "' made more than " + limit.capacity() + " " + limit.what() + " requests per "
                                    + limit.period() + "; retry after " + retryAfter + " s (trainserve.security.rate-limit.*)",
                            Map.of("allowed", limit.capacity() + " per " + limit.period()));
                    return;
                }
            }
        }
        chain.doFilter(request, response);
    }
}
