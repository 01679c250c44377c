package io.trainserve.service.storage;

/** A stored blob: its key, size in bytes and SHA-256 (lower-case hex). */
public record BlobInfo(String key, long size, String sha256) {
}
