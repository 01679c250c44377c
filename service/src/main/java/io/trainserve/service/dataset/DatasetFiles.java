package io.trainserve.service.dataset;

import io.trainserve.service.system.DataDir;
import io.trainserve.service.system.UploadException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;
import org.springframework.web.multipart.MultipartFile;

/**
 * Dataset files on disk: {@code <data-dir>/datasets/<id>/data.csv} or {@code images.idx} + {@code labels.idx},
 * stored byte for byte as uploaded (gzipped or not: the readers detect gzip).
 */
@Component
class DatasetFiles {
    static final String CSV = "data.csv";
    static final String IMAGES = "images.idx";
    static final String LABELS = "labels.idx";

    private final DataDir dataDir;

    DatasetFiles(DataDir dataDir) {
        this.dataDir = dataDir;
    }

    /** A received part: a temporary file, its size and SHA-256. */
    record Received(Path file, long size, String sha256) {
    }

    /** Streams a multipart part to a temporary file (64 KiB at a time), hashing it on the way. */
    Received receive(MultipartFile part, String partName) {
        Path tmp = dataDir.tmp().resolve(UUID.randomUUID() + "-" + partName);
        MessageDigest sha = sha256();
        try (InputStream in = part.getInputStream();
             OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
            long size = in.transferTo(out);
            if (size == 0) {
                Files.deleteIfExists(tmp);
                throw new UploadException(partName, "the part '" + partName + "' is an empty file");
            }
            return new Received(tmp, size, HexFormat.of().formatHex(sha.digest()));
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("could not store upload part '" + partName + "'", e);
        }
    }

    Path dir(String id) {
        return dataDir.datasets().resolve(id);
    }

    /** Moves a received file to its place in the dataset's directory. */
    void keep(String id, Received received, String fileName) {
        try {
            Files.createDirectories(dir(id));
            Files.move(received.file(), dir(id).resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not store dataset " + id, e);
        }
    }

    void discard(Received received) {
        if (received != null) deleteQuietly(received.file());
    }

    void delete(String id) {
        Path dir = dir(id);
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(DatasetFiles::deleteQuietly);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete dataset files of " + id, e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
