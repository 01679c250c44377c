package io.trainserve.engine.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Test fixtures written to a temp dir. */
final class TestFiles {
    private TestFiles() {}

    static final String SOFTMAX_CSV = """
            x1,x2,x3,x4,y
            1,2,1,1,2
            2,1,3,2,2
            3,1,3,4,2
            4,1,5,5,1
            1,7,5,5,1
            1,2,5,6,1
            1,6,6,6,0
            1,7,7,7,0
            """;

    static Path write(Path dir, String name, String text) {
        return write(dir, name, text.getBytes(StandardCharsets.UTF_8));
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] bytes) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(bytes);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Table csv(Path dir, String text) {
        return CsvTableReader.read(write(dir, "data.csv", text));
    }
}
