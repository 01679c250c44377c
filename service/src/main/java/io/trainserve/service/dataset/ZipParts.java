package io.trainserve.service.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.springframework.web.multipart.MultipartFile;

/** Tells a zip part from a CSV: by its first bytes (PK 03 04, or PK 05 06 when empty), or a .zip name / zip type. */
final class ZipParts {
    private ZipParts() {
    }

    static boolean isZip(MultipartFile part) {
        String name = part.getOriginalFilename() == null ? "" : part.getOriginalFilename().toLowerCase(Locale.ROOT);
        String type = part.getContentType() == null ? "" : part.getContentType().toLowerCase(Locale.ROOT);
        if (name.endsWith(".zip") || type.contains("zip") && !type.contains("gzip")) return true;
        try (InputStream in = part.getInputStream()) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 && head[3] == 4 || head[2] == 5 && head[3] == 6);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the uploaded part 'file'", e);
        }
    }
}
