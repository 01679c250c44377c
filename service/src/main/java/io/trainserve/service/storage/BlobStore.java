package io.trainserve.service.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * The storage port for every blob the service keeps (datasets, checkpoints, model bundles), addressed
 * by a relative key such as {@code datasets/<id>/data.csv}; the database stores keys, never paths.
 * Writes are streamed and atomic (a reader sees the old blob or the whole new one); every read is
 * checked against the SHA-256 recorded at write time and throws {@link CorruptBlobException} when the
 * bytes differ. Adapters: {@link FileBlobStore} (embedded default) and {@link PostgresBlobStore}
 * (the {@code postgres} profile, so instances share nothing but the database).
 */
public interface BlobStore {

    /** Writes the blob's bytes to the stream it is given. */
    @FunctionalInterface
    interface BlobWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Stores (or replaces) {@code key} with what {@code writer} writes, streamed; returns its size and SHA-256. */
    BlobInfo write(String key, BlobWriter writer);

    /** Stores (or replaces) {@code key} with the content of {@code in}, streamed. */
    default BlobInfo put(String key, InputStream in) {
        return write(key, in::transferTo);
    }

    /**
     * The blob's bytes, streamed. The checksum is verified when the stream reaches its end or is
     * closed (a caller that stops early still learns of corruption on close).
     *
     * @throws BlobNotFoundException when there is no such blob
     */
    InputStream open(String key);

    /** Size and SHA-256 of a stored blob, without reading it. */
    Optional<BlobInfo> stat(String key);

    default boolean exists(String key) {
        return stat(key).isPresent();
    }

    /** Deletes the blob if it exists. */
    void delete(String key);

    /** Deletes every blob whose key starts with {@code prefix} (e.g. {@code datasets/<id>/}). */
    void deleteAll(String prefix);
}
