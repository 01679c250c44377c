package io.trainserve.service.security;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * Verifies bearer keys: SHA-256 of the secret, looked up in a per-instance cache of verified keys (a
 * database read only the first time a key is seen). A revocation here drops the key from the cache at
 * once; a revocation on another instance moves {@code key_revision}, which this instance polls
 * ({@code trainserve.security.revocation-poll}, 500 ms) and then forgets every cached key. Last-used
 * times are collected in memory (to the second) and written in one batch every {@code last-used-flush}.
 */
@Component
class KeyAuthenticator implements AuthenticationProvider {
    private final ApiKeyStore store;
    private final Clock clock;
    private final Map<String, Cached> byHash = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();
    /** The key_revision last seen; the first poll reads it (no query while the context starts). */
    private volatile long revision = Long.MIN_VALUE;

    private record Cached(KeyAuthentication authentication, Instant expiresAt) {
    }

    KeyAuthenticator(ApiKeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String hash = KeySecrets.hash(((BearerKey) authentication).secret());
        Cached cached = byHash.get(hash);
        if (cached == null) cached = load(hash);
        Instant now = clock.instant();
        if (cached.expiresAt() != null && !now.isBefore(cached.expiresAt())) {
            throw new CredentialsExpiredException("the key '" + cached.authentication().name() + "' expired at " + cached.expiresAt());
        }
        // at most one write a second per key: every request of a key writing one map entry made them queue on it
        Instant seen = lastUsed.get(cached.authentication().keyId());
        if (seen == null || now.isAfter(seen.plusSeconds(1))) lastUsed.put(cached.authentication().keyId(), now);
        return cached.authentication();
    }

    private Cached load(String hash) {
        long seen = revision;
        ApiKey key = store.findByHash(hash).orElseThrow(() -> new BadCredentialsException("the key is not known"));
        if (key.revokedAt() != null) throw new BadCredentialsException("the key '" + key.name() + "' was revoked at " + key.revokedAt());
        Cached cached = new Cached(new KeyAuthentication(key), key.expiresAt());
        // a revocation seen while reading may be of this very key: then do not cache what was read
        if (revision == seen) byHash.put(hash, cached);
        return cached;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerKey.class.isAssignableFrom(authentication);
    }

    /** This instance revoked a key: forget it now (and everything loaded before the revocation). */
    void revoked(String keyId, long newRevision) {
        revision = newRevision;
        byHash.values().removeIf(c -> c.authentication().keyId().equals(keyId));
    }

    @Scheduled(fixedDelayString = "${trainserve.security.revocation-poll:500ms}")
    void pollRevocations() {
        long current = store.revision();
        if (current != revision) {
            revision = current;
            byHash.clear();
        }
    }

    @Scheduled(fixedDelayString = "${trainserve.security.last-used-flush:10s}")
    void flushLastUsed() {
        if (lastUsed.isEmpty()) return;
        Map<String, Instant> batch = new HashMap<>();
        for (String id : lastUsed.keySet()) {
            Instant at = lastUsed.remove(id);
            if (at != null) batch.put(id, at);
        }
        store.touch(batch);
    }
}
