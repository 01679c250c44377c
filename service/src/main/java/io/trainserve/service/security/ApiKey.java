package io.trainserve.service.security;

import java.time.Instant;
import java.util.Set;

/** A stored key (never its secret). {@code models} empty = every model. */
record ApiKey(String id, String name, Role role, Set<String> models, Instant createdAt, String createdBy,
              Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {

    boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
