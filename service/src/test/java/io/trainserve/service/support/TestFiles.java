package io.trainserve.service.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.springframework.mock.web.MockMultipartFile;

/** Small upload fixtures. */
public final class TestFiles {
    /** The lecture notes' softmax example: 8 rows, 3 classes. */
    public static final String SOFTMAX_CSV = """
            x1,x2,label
            1,1,2
            1,2,2
            2,1,2
            5,5,1
            5,6,1
            6,5,1
            9,9,0
            9,8,0
            """;

    private TestFiles() {
    }

    public static MockMultipartFile csv(String content) {
        return new MockMultipartFile("file", "data.csv", "text/csv", content.getBytes(StandardCharsets.UTF_8));
    }

    /** IDX images (magic 2051) of {@code count} 2x3 images whose pixels are i*10+p. */
    public static byte[] idxImages(int count) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * 6);
        b.putInt(2051).putInt(count).putInt(2).putInt(3);
        for (int i = 0; i < count; i++) for (int p = 0; p < 6; p++) b.put((byte) (i * 10 + p));
        return b.array();
    }

    /** IDX labels (magic 2049): i % classes. */
    public static byte[] idxLabels(int count, int classes) {
        ByteBuffer b = ByteBuffer.allocate(8 + count);
        b.putInt(2049).putInt(count);
        for (int i = 0; i < count; i++) b.put((byte) (i % classes));
        return b.array();
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
