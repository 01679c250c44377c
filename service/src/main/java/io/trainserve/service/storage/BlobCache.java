package io.trainserve.service.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * This instance's read-through copy of blobs (datasets, bundles) as local files, for readers that want a
 * file and for repeated reads that should not cross the network. Files are named by their SHA-256, so a
 * replaced blob is never served stale; each use re-checks the copy's checksum (a damaged copy is fetched
 * again); the least recently used copies are dropped beyond {@code maxBytes}. On the filesystem adapter
 * the blob's own file is used (checked the same way) and nothing is copied.
 */
public final class BlobCache {
    private final BlobStore store;
    private final Path dir;
    private final Path tmp;
    private final long maxBytes;

    public BlobCache(BlobStore store, Path dir, Path tmp, long maxBytes) {
        this.store = store;
        this.dir = dir;
        this.tmp = tmp;
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(dir);
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /**
     * A local file with exactly the blob's bytes (checksum verified).
     *
     * @throws CorruptBlobException  when the stored blob no longer matches its checksum
     * @throws BlobNotFoundException when there is no such blob
     */
    public Path local(String key) {
        BlobInfo info = store.stat(key).orElseThrow(() -> new BlobNotFoundException(key));
        if (store instanceof FileBlobStore files) {
            verify(key, info, files.file(key));
            return files.file(key);
        }
        Path copy = dir.resolve(info.sha256());
        synchronized (this) {
            if (Files.exists(copy)) {
                try {
                    verify(key, info, copy);
                    Files.setLastModifiedTime(copy, FileTime.from(Instant.now()));
                    return copy;
                } catch (CorruptBlobException damagedCopy) {
                    delete(copy);
                } catch (IOException e) {
                    delete(copy);
                }
            }
        }
        try (InputStream in = store.open(key)) {
            FileBlobStore.writeAtomically(copy, tmp, in::transferTo); // open() verifies at the end; a bad blob never lands
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fetch blob " + key, e);
        }
        evictBeyondBound(copy);
        return copy;
    }

    /** The blob's bytes through the local copy (verified). */
    public InputStream open(String key) {
        Path file = local(key);
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob " + key, e);
        }
    }

    private static void verify(String key, BlobInfo info, Path file) {
        try (InputStream in = new VerifyingInputStream(key, info.sha256(), Files.newInputStream(file))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob " + key, e);
        }
    }

    private synchronized void evictBeyondBound(Path keep) {
        List<Path> copies = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(copies::add);
        } catch (IOException e) {
            return;
        }
        copies.sort(Comparator.comparing(BlobCache::lastModified).reversed());
        long total = 0;
        for (Path p : copies) {
            long size = size(p);
            total += size;
            if (total > maxBytes && !p.equals(keep)) {
                delete(p);
                total -= size;
            }
        }
    }

    private static FileTime lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // another reader may hold it; the next eviction retries
        }
    }
}
