package io.trainserve.service.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Blobs as files under a root directory: {@code <root>/<key>} holds the bytes, {@code <root>/<key>.sha256}
 * the recorded checksum and size. Every write goes to a temporary file, is hashed on the way and is
 * renamed into place ({@link #writeAtomically}). A blob written before checksums were recorded (an older
 * data directory) gets its checksum on first read.
 */
public final class FileBlobStore implements BlobStore {
    static final String SIDECAR = ".sha256";
    private static final String PENDING = ".pending";
    private final Path root;
    private final Path tmp;

    public FileBlobStore(Path root, Path tmp) {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = tmp;
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + tmp, e);
        }
    }

    /** Size and SHA-256 of what a write streamed into a file. */
    public record Written(long size, String sha256) {
    }

    /**
     * The one way the service writes a file: streamed into a temporary file in {@code tmpDir} (same file
     * system), hashed on the way, then moved over {@code target} atomically, so a reader or a crash never
     * sees half a file.
     */
    public static Written writeAtomically(Path target, Path tmpDir, BlobWriter writer) {
        Path part = tmpDir.resolve(UUID.randomUUID() + ".part");
        try {
            Files.createDirectories(target.getParent());
            Written written;
            try (HashingOutputStream out = new HashingOutputStream(Files.newOutputStream(part))) {
                writer.write(out);
                written = new Written(out.size(), out.sha256());
            }
            move(part, target);
            return written;
        } catch (IOException e) {
            deleteQuietly(part);
            throw new UncheckedIOException("cannot write " + target.getFileName(), e);
        } catch (RuntimeException e) {
            deleteQuietly(part);
            throw e;
        }
    }

    @Override
    public BlobInfo write(String key, BlobWriter writer) {
        Path file = file(key);
        Written w = writeAtomically(pending(file), tmp, writer);
        // bytes first under a pending name, then the checksum, then the bytes into place: a crash in between
        // leaves either the old pair or a pending blob that open() completes.
        writeAtomically(sidecar(file), tmp, out -> out.write(record(w).getBytes(StandardCharsets.US_ASCII)));
        try {
            move(pending(file), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store blob " + key, e);
        }
        return new BlobInfo(key, w.size(), w.sha256());
    }

    @Override
    public InputStream open(String key) {
        Path file = file(key);
        BlobInfo info = stat(key).orElseThrow(() -> new BlobNotFoundException(key));
        try {
            return new VerifyingInputStream(key, info.sha256(), Files.newInputStream(file));
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob " + key, e);
        }
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        Path file = file(key);
        try {
            if (Files.exists(pending(file))) settlePending(file);
            if (!Files.exists(file)) return Optional.empty();
            if (!Files.exists(sidecar(file))) {
                Written w = hash(file); // written by an older version: record its checksum now
                writeAtomically(sidecar(file), tmp, out -> out.write(record(w).getBytes(StandardCharsets.US_ASCII)));
            }
            String[] parts = Files.readString(sidecar(file), StandardCharsets.US_ASCII).trim().split(" ");
            return Optional.of(new BlobInfo(key, Long.parseLong(parts[1]), parts[0]));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob " + key, e);
        }
    }

    /** The file holding a blob, for callers that must hand a path to a library (checked by {@link BlobCache}). */
    Path file(String key) {
        return root.resolve(Keys.check(key));
    }

    @Override
    public void delete(String key) {
        Path file = file(key);
        deleteQuietly(file);
        deleteQuietly(sidecar(file));
        deleteQuietly(pending(file));
    }

    @Override
    public void deleteAll(String prefix) {
        Path dir = root.resolve(Keys.check(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix));
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(FileBlobStore::deleteQuietly);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + prefix, e);
        }
    }

    /** A write that crashed before its last rename: finish it when its checksum was recorded, else drop it. */
    private static void settlePending(Path file) throws IOException {
        Written w = hash(pending(file));
        boolean recorded = Files.exists(sidecar(file))
                && Files.readString(sidecar(file), StandardCharsets.US_ASCII).startsWith(w.sha256() + " ");
        if (recorded) move(pending(file), file);
        else deleteQuietly(pending(file));
    }

    private static String record(Written w) {
        return w.sha256() + " " + w.size() + "\n";
    }

    private static Written hash(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file);
             HashingOutputStream out = new HashingOutputStream(OutputStream.nullOutputStream())) {
            in.transferTo(out);
            return new Written(out.size(), out.sha256());
        }
    }

    private static Path sidecar(Path file) {
        return file.resolveSibling(file.getFileName() + SIDECAR);
    }

    private static Path pending(Path file) {
        return file.resolveSibling(file.getFileName() + PENDING);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover file is harmless
        }
    }
}
