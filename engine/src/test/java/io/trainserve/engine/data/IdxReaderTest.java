package io.trainserve.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir Path dir;

    /** Three 2x2 images: pixels 0..11 scaled up, labels 7, 0, 255. */
    static final byte[] PIXELS = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, (byte) 200, (byte) 255};
    static final byte[] LABELS = {7, 0, (byte) 255};

    static byte[] images(int magic, int count, int rows, int cols, byte[] pixels) {
        return ByteBuffer.allocate(16 + pixels.length).putInt(magic).putInt(count).putInt(rows).putInt(cols).put(pixels).array();
    }

    static byte[] labels(int magic, int count, byte[] labels) {
        return ByteBuffer.allocate(8 + labels.length).putInt(magic).putInt(count).put(labels).array();
    }

    static ImageSet read(byte[] images, byte[] labels) {
        return IdxReader.read(new ByteArrayInputStream(images), new ByteArrayInputStream(labels));
    }

    @Test
    void readsPlainFiles() {
        ImageSet s = IdxReader.read(TestFiles.write(dir, "i.idx", images(2051, 3, 2, 2, PIXELS)),
                TestFiles.write(dir, "l.idx", labels(2049, 3, LABELS)));
        assertThat(s.count()).isEqualTo(3);
        assertThat(s.rows()).isEqualTo(2);
        assertThat(s.cols()).isEqualTo(2);
        assertThat(s.pixels()).containsExactly(PIXELS);
        assertThat(s.label(0)).isEqualTo(7);
        assertThat(s.label(2)).isEqualTo(255);
        assertThat(s.sha256()).hasSize(64);
    }

    @Test
    void readsGzippedFilesToTheSamePixelsButADifferentChecksum() {
        ImageSet plain = read(images(2051, 3, 2, 2, PIXELS), labels(2049, 3, LABELS));
        ImageSet gz = IdxReader.read(TestFiles.write(dir, "i.gz", TestFiles.gzip(images(2051, 3, 2, 2, PIXELS))),
                TestFiles.write(dir, "l.gz", TestFiles.gzip(labels(2049, 3, LABELS))));
        assertThat(gz.pixels()).containsExactly(plain.pixels());
        assertThat(gz.labels()).containsExactly(plain.labels());
        assertThat(gz.sha256()).isNotEqualTo(plain.sha256());
    }

    @Test
    void checksumDependsOnBothFiles() {
        ImageSet a = read(images(2051, 3, 2, 2, PIXELS), labels(2049, 3, LABELS));
        ImageSet b = read(images(2051, 3, 2, 2, PIXELS), labels(2049, 3, new byte[] {1, 2, 3}));
        assertThat(a.sha256()).isNotEqualTo(b.sha256());
        assertThat(read(images(2051, 3, 2, 2, PIXELS), labels(2049, 3, LABELS)).sha256()).isEqualTo(a.sha256());
    }

    @Test
    void wrongMagicNumbersSayWhichFile() {
        assertThatThrownBy(() -> read(labels(2049, 3, LABELS), labels(2049, 3, LABELS)))
                .isInstanceOf(DataFormatException.class)
                .hasMessage("images file: magic number 2049 is not an IDX image file (expected 2051)");
        assertThatThrownBy(() -> read(images(2051, 3, 2, 2, PIXELS), images(2051, 3, 2, 2, PIXELS)))
                .hasMessage("labels file: magic number 2051 is not an IDX label file (expected 2049)");
    }

    @Test
    void truncatedAndOverlongFiles() {
        byte[] cut = Arrays.copyOf(images(2051, 3, 2, 2, PIXELS), 16 + 5);
        assertThatThrownBy(() -> read(cut, labels(2049, 3, LABELS)))
                .isInstanceOf(DataFormatException.class).hasMessage("images file: expected 12 pixel bytes, found 5");
        byte[] cutGz = TestFiles.gzip(cut);
        assertThatThrownBy(() -> read(cutGz, labels(2049, 3, LABELS))).hasMessage("images file: expected 12 pixel bytes, found 5");
        byte[] longer = Arrays.copyOf(labels(2049, 3, LABELS), 8 + 4);
        assertThatThrownBy(() -> read(images(2051, 3, 2, 2, PIXELS), longer))
                .hasMessageContaining("labels file: expected 3 label bytes, found more data");
        assertThatThrownBy(() -> read(Arrays.copyOf(images(2051, 3, 2, 2, PIXELS), 10), labels(2049, 3, LABELS)))
                .hasMessage("images file: expected a 16-byte header, found 10 bytes");
    }

    @Test
    void emptyFiles() {
        assertThatThrownBy(() -> read(new byte[0], labels(2049, 3, LABELS)))
                .isInstanceOf(DataFormatException.class).hasMessage("images file: the file is empty");
        assertThatThrownBy(() -> read(images(2051, 3, 2, 2, PIXELS), new byte[0])).hasMessage("labels file: the file is empty");
    }

    @Test
    void countsMustAgree() {
        DataFormatException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> read(images(2051, 3, 2, 2, PIXELS), labels(2049, 2, new byte[] {1, 2})), DataFormatException.class);
        assertThat(e).hasMessage("the images file holds 3 images but the labels file holds 2 labels");
        assertThat(e.row()).isEqualTo(-1);
    }

    @Test
    void corruptGzipIsADataFormatProblem() {
        byte[] gz = TestFiles.gzip(images(2051, 3, 2, 2, PIXELS));
        gz[gz.length - 5] ^= 0x55; // breaks the CRC / length trailer
        assertThatThrownBy(() -> read(gz, labels(2049, 3, LABELS))).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("images file");
    }
}
