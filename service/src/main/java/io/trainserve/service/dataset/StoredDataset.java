package io.trainserve.service.dataset;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An uploaded dataset's metadata; its files live under {@code <data-dir>/datasets/<id>/}. Immutable once
 * stored, except that a description missing from an older row is filled in once.
 */
@Entity
@Table(name = "datasets")
class StoredDataset {
    @Id
    private String id;
    private String name;
    @Enumerated(EnumType.STRING)
    private Format format;
    @Column(name = "row_count")
    private long rowCount;
    @Column(name = "columns_json")
    private String columnsJson;
    @Column(name = "shape_json")
    private String shapeJson;
    @Column(name = "classes_json")
    private String classesJson;
    @Column(name = "size_bytes")
    private long sizeBytes;
    private String sha256;
    @Column(name = "created_at")
    private Instant createdAt;
    /** {@link io.trainserve.engine.DatasetDescription} as JSON; null for datasets stored before descriptions existed. */
    @Column(name = "description_json")
    private String descriptionJson;
    /** Images per class, in the order of {@code classesJson}, as a JSON list; null for tables and older rows. */
    @Column(name = "class_counts_json")
    private String classCountsJson;

    protected StoredDataset() {
    }

    StoredDataset(String id, String name, Format format, long rowCount, String columnsJson, String shapeJson,
                  String classesJson, long sizeBytes, String sha256, Instant createdAt, String descriptionJson) {
        this(id, name, format, rowCount, columnsJson, shapeJson, classesJson, null, sizeBytes, sha256, createdAt, descriptionJson);
    }

    StoredDataset(String id, String name, Format format, long rowCount, String columnsJson, String shapeJson,
                  String classesJson, String classCountsJson, long sizeBytes, String sha256, Instant createdAt,
                  String descriptionJson) {
        this.classCountsJson = classCountsJson;
        this.descriptionJson = descriptionJson;
        this.id = id;
        this.name = name;
        this.format = format;
        this.rowCount = rowCount;
        this.columnsJson = columnsJson;
        this.shapeJson = shapeJson;
        this.classesJson = classesJson;
        this.sizeBytes = sizeBytes;
        this.sha256 = sha256;
        this.createdAt = createdAt;
    }

    String id() { return id; }

    String name() { return name; }

    Format format() { return format; }

    long rowCount() { return rowCount; }

    String columnsJson() { return columnsJson; }

    String shapeJson() { return shapeJson; }

    String classesJson() { return classesJson; }

    long sizeBytes() { return sizeBytes; }

    String sha256() { return sha256; }

    Instant createdAt() { return createdAt; }

    String descriptionJson() { return descriptionJson; }

    String classCountsJson() { return classCountsJson; }
}
