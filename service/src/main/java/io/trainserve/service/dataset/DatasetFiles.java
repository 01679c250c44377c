package io.trainserve.service.dataset;

import io.trainserve.service.storage.BlobCache;
import io.trainserve.service.storage.BlobStore;
import io.trainserve.service.storage.CorruptBlobException;
import io.trainserve.service.storage.FileBlobStore;
import io.trainserve.service.system.DataDir;
import io.trainserve.service.system.UploadException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.web.multipart.MultipartFile;

/**
 * A dataset's files as blobs {@code datasets/<id>/data.csv} or {@code images.idx} + {@code labels.idx},
 * stored byte for byte as uploaded (gzipped or not: the readers detect gzip), or for a zip of image folders
 * {@code images.zip} as uploaded plus its decoded {@code images.idx} + {@code labels.idx}, in whatever
 * {@link BlobStore} this instance uses; read back through the instance's checksummed local cache.
 */
@Component
class DatasetFiles {
    static final String CSV = "data.csv";
    static final String IMAGES = "images.idx";
    static final String LABELS = "labels.idx";
    /** A zip of image class folders as uploaded; its decoded images are kept as {@link #IMAGES} and {@link #LABELS}. */
    static final String ZIP = "images.zip";

    private final DataDir dataDir;
    private final BlobStore blobs;
    private final BlobCache cache;

    DatasetFiles(DataDir dataDir, BlobStore blobs, BlobCache cache) {
        this.dataDir = dataDir;
        this.blobs = blobs;
        this.cache = cache;
    }

    /** A received part: a temporary file, its size and SHA-256. */
    record Received(Path file, long size, String sha256) {
    }

    /** Streams a multipart part to a temporary file, hashing it on the way. */
    Received receive(MultipartFile part, String partName) {
        Path tmp = dataDir.tmp().resolve(UUID.randomUUID() + "-" + partName);
        FileBlobStore.Written w = FileBlobStore.writeAtomically(tmp, dataDir.tmp(), out -> {
            try (InputStream in = part.getInputStream()) {
                in.transferTo(out);
            }
        });
        if (w.size() == 0) {
            deleteQuietly(tmp);
            throw new UploadException(partName, "the part '" + partName + "' is an empty file");
        }
        return new Received(tmp, w.size(), w.sha256());
    }

    static String key(String id, String fileName) {
        return "datasets/" + id + "/" + fileName;
    }

    /** Stores a received file as the dataset's blob. */
    void keep(String id, Received received, String fileName) {
        keep(id, received.file(), fileName);
    }

    /** Stores a file this instance wrote (e.g. decoded images) as the dataset's blob. */
    void keep(String id, Path file, String fileName) {
        try (InputStream in = Files.newInputStream(file)) {
            blobs.put(key(id, fileName), in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not store dataset " + id, e);
        }
    }

    /** A fresh temporary file's path (not created), to be removed with {@link #discard(Path)}. */
    Path temporary(String name) {
        return dataDir.tmp().resolve(UUID.randomUUID() + "-" + name);
    }

    void discard(Path file) {
        if (file != null) deleteQuietly(file);
    }

    /**
     * A verified local copy of one of the dataset's files.
     *
     * @throws CorruptDatasetException when the stored bytes no longer match their checksum
     */
    Path local(String id, String fileName) {
        try {
            return cache.local(key(id, fileName));
        } catch (CorruptBlobException e) {
            throw new CorruptDatasetException(id, e);
        }
    }

    void discard(Received received) {
        if (received != null) deleteQuietly(received.file());
    }

    void delete(String id) {
        blobs.deleteAll("datasets/" + id + "/");
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless
        }
    }
}
