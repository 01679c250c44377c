package io.trainserve.service.security;

import io.trainserve.service.system.NotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Creating, listing and revoking keys; every change is audited. */
@Component
class ApiKeys {
    private final ApiKeyStore store;
    private final KeyAuthenticator authenticator;
    private final Audit audit;
    private final Clock clock;

    ApiKeys(ApiKeyStore store, KeyAuthenticator authenticator, Audit audit, Clock clock) {
        this.store = store;
        this.authenticator = authenticator;
        this.audit = audit;
        this.clock = clock;
    }

    /** A new key and its secret (the only time the secret exists outside the caller). */
    record Created(ApiKey key, String secret) {
    }

    Created create(String name, Role role, Set<String> models, Instant expiresAt, String createdBy) {
        return insert(name, role, models, expiresAt, createdBy, KeySecrets.generate());
    }

    /** Stores a key for a secret chosen elsewhere (TRAINSERVE_ADMIN_KEY). */
    Created insert(String name, Role role, Set<String> models, Instant expiresAt, String createdBy, String secret) {
        ApiKey key = new ApiKey(UUID.randomUUID().toString(), name, role, models, clock.instant(), createdBy, expiresAt, null, null);
        store.insert(key, KeySecrets.hash(secret));
        audit.record("key.create", key.id() + " (" + name + ", " + role.id() + ")");
        return new Created(key, secret);
    }

    List<ApiKey> active() {
        return store.active();
    }

    void revoke(String id) {
        ApiKey key = store.findById(id).filter(k -> k.revokedAt() == null).orElseThrow(() -> new NotFoundException("key", id));
        long revision = store.revoke(id, clock.instant());
        authenticator.revoked(id, revision);
        audit.record("key.revoke", id + " (" + key.name() + ")");
    }
}
