package io.trainserve.service.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A model id and its latest version number; versions are allocated under a row lock on it. */
@Entity
@Table(name = "models")
class ModelEntity {
    @Id
    private String id;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "latest_version")
    private int latestVersion;
    @Version
    private long version;

    protected ModelEntity() {
    }

    ModelEntity(String id, Instant createdAt) {
        this.id = id;
        this.createdAt = createdAt;
    }

    String id() { return id; }

    Instant createdAt() { return createdAt; }

    int latestVersion() { return latestVersion; }

    /** Allocates the next version number. */
    int nextVersion() {
        return ++latestVersion;
    }
}
