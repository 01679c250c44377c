package io.trainserve.engine.data;

import io.trainserve.engine.ImageFolderLimits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFoldersTest {
    @TempDir Path dir;

    static BufferedImage filled(int width, int height, int type, Color color) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            assertThat(ImageIO.write(image, format, out)).isTrue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    Path zip(Map<String, byte[]> entries) throws IOException {
        Path file = Files.createTempFile(dir, "images", ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return file;
    }

    static final ImageFolderLimits LIMITS = ImageFolderLimits.DEFAULT;

    @Test
    void grayFoldersBecomeOneChannelWithSortedClassNamesAndCounts() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("zebra/", new byte[0]);
        entries.put("zebra/b.png", encode(filled(6, 4, BufferedImage.TYPE_BYTE_GRAY, new Color(100, 100, 100)), "png"));
        entries.put("zebra/a.png", encode(filled(6, 4, BufferedImage.TYPE_BYTE_GRAY, new Color(30, 30, 30)), "png"));
        entries.put("ant/1.png", encode(filled(6, 4, BufferedImage.TYPE_INT_RGB, new Color(77, 77, 77)), "png")); // RGB but gray
        entries.put("__MACOSX/ant/._1.png", new byte[] {1, 2, 3});
        entries.put("ant/.DS_Store", new byte[] {1, 2, 3});
        ImageSet s = ImageFolders.read(zip(entries), 0, 0, LIMITS);

        assertThat(s.classes()).containsExactly("ant", "zebra");
        assertThat(s.classCounts()).containsExactly(1L, 2L);
        assertThat(s.channels()).isEqualTo(1);
        assertThat(s.rows()).isEqualTo(4);
        assertThat(s.cols()).isEqualTo(6);
        // ant/1 first, then zebra/a, zebra/b (entry-name order); a gray pixel keeps its value
        assertThat(s.pixels()[0] & 0xFF).isEqualTo(77);
        assertThat(s.pixels()[24] & 0xFF).isEqualTo(30);
        assertThat(s.pixels()[48] & 0xFF).isEqualTo(100);
        assertThat(s.className(1)).isEqualTo("zebra");
        assertThat(s.sha256()).hasSize(64);
    }

    @Test
    void oneColouredImageMakesThreeChannelsAndMixedModesAndSizesAreResized() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("gray/g.png", encode(filled(8, 8, BufferedImage.TYPE_BYTE_GRAY, new Color(50, 50, 50)), "png"));
        entries.put("gray/h.png", encode(filled(8, 8, BufferedImage.TYPE_BYTE_GRAY, new Color(60, 60, 60)), "png"));
        entries.put("red/r.jpg", encode(filled(20, 12, BufferedImage.TYPE_INT_RGB, new Color(250, 0, 0)), "jpg"));
        ImageSet s = ImageFolders.read(zip(entries), 0, 0, LIMITS);

        assertThat(s.channels()).isEqualTo(3);
        assertThat(List.of(s.rows(), s.cols())).containsExactly(8, 8); // the most common size
        int plane = 64;
        assertThat(s.pixels()[0] & 0xFF).isEqualTo(50);
        assertThat(s.pixels()[plane] & 0xFF).isEqualTo(50);
        int red = 2 * 3 * plane;
        assertThat(s.pixels()[red] & 0xFF).isGreaterThan(230);   // R
        assertThat(s.pixels()[red + plane] & 0xFF).isLessThan(20); // G

        ImageSet asked = ImageFolders.read(zip(entries), 5, 7, LIMITS);
        assertThat(List.of(asked.channels(), asked.rows(), asked.cols())).containsExactly(3, 5, 7);
        assertThat(asked.pixels()).hasSize(3 * 3 * 5 * 7);
    }

    @Test
    void theDefaultSizeIsCappedKeepingTheAspectRatio() throws IOException {
        ImageSet s = ImageFolders.read(zip(Map.of("a/1.png", encode(filled(200, 100, BufferedImage.TYPE_BYTE_GRAY, Color.WHITE), "png"))),
                0, 0, LIMITS);
        assertThat(List.of(s.rows(), s.cols())).containsExactly(32, ImageFolders.DEFAULT_CAP);
        assertThat(s.pixels()[0] & 0xFF).isEqualTo(255);
    }

    @Test
    void resizingIsThePredictPath() {
        BufferedImage big = filled(40, 30, BufferedImage.TYPE_INT_RGB, new Color(200, 100, 50));
        byte[] gray = ImagePixels.of(big, 1, 3, 2);
        assertThat(gray).hasSize(6);
        assertThat(gray[5] & 0xFF).isEqualTo(Math.round((299 * 200 + 587 * 100 + 114 * 50) / 1000f));
        byte[] rgb = ImagePixels.of(big, 3, 3, 2);
        assertThat(rgb[0] & 0xFF).isEqualTo(200);
        assertThat(rgb[6] & 0xFF).isEqualTo(100);
        assertThat(rgb[12] & 0xFF).isEqualTo(50);
    }

    @Test
    void theSizeComesFromTheHeaderWithoutDecoding() {
        byte[] png = encode(filled(1, 1, BufferedImage.TYPE_BYTE_GRAY, Color.BLACK), "png");
        ByteBuffer b = ByteBuffer.wrap(png); // signature 8, chunk length 4, "IHDR" 4, then width and height
        b.putInt(16, 70000).putInt(20, 50000);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, 12, 17);
        b.putInt(29, (int) crc.getValue());
        assertThat(ImagePixels.size(png)).containsExactly(70000, 50000);
        assertThat(ImagePixels.size("GIF89a".getBytes())).isNull();
        assertThat(ImagePixels.size(encode(filled(3, 2, BufferedImage.TYPE_INT_RGB, Color.RED), "jpg"))).containsExactly(3, 2);
    }

    @Test
    void foldersAreStoredAndReadBackAsAnIdxPairWithChannels() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("blue/1.png", encode(filled(3, 2, BufferedImage.TYPE_INT_RGB, Color.BLUE), "png"));
        entries.put("green/1.png", encode(filled(3, 2, BufferedImage.TYPE_INT_RGB, Color.GREEN), "png"));
        ImageSet s = ImageFolders.read(zip(entries), 0, 0, LIMITS);
        Path images = dir.resolve("i.idx"), labels = dir.resolve("l.idx");
        IdxWriter.write(s, images, labels);
        ImageSet back = IdxReader.read(images, labels).withClassNames(s.classes());
        assertThat(List.of(back.count(), back.channels(), back.rows(), back.cols())).containsExactly(2, 3, 2, 3);
        assertThat(back.pixels()).isEqualTo(s.pixels());
        assertThat(back.classes()).containsExactly("blue", "green");
        assertThat(back.className(1)).isEqualTo("green");
    }

    @Test
    void refusesAZipWithoutClassFolders() throws IOException {
        assertThatThrownBy(() -> ImageFolders.read(zip(Map.of()), 0, 0, LIMITS))
                .isInstanceOfSatisfying(InvalidArchiveException.class, e -> assertThat(e.given()).contains("no class folders"));
        byte[] png = encode(filled(2, 2, BufferedImage.TYPE_BYTE_GRAY, Color.BLACK), "png");
        assertThatThrownBy(() -> ImageFolders.read(zip(Map.of("loose.png", png)), 0, 0, LIMITS))
                .isInstanceOfSatisfying(InvalidArchiveException.class, e -> assertThat(e.entry()).isEqualTo("loose.png"));
        Path notZip = Files.writeString(dir.resolve("x.zip"), "a,b\n1,2\n");
        assertThatThrownBy(() -> ImageFolders.read(notZip, 0, 0, LIMITS))
                .isInstanceOfSatisfying(InvalidArchiveException.class, e -> assertThat(e.given()).contains("not a readable zip"));
    }

    @Test
    void namesTheCorruptImage() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cats/ok.png", encode(filled(2, 2, BufferedImage.TYPE_BYTE_GRAY, Color.BLACK), "png"));
        entries.put("cats/notes.txt", "hello".getBytes());
        assertThatThrownBy(() -> ImageFolders.read(zip(entries), 0, 0, LIMITS))
                .isInstanceOfSatisfying(InvalidArchiveException.class, e -> {
                    assertThat(e.entry()).isEqualTo("cats/notes.txt");
                    assertThat(e.tooLarge()).isFalse();
                });
        byte[] png = encode(filled(4, 4, BufferedImage.TYPE_INT_RGB, Color.RED), "png");
        byte[] truncated = java.util.Arrays.copyOf(png, png.length / 2 + 10);
        assertThatThrownBy(() -> ImageFolders.read(zip(Map.of("cats/cut.png", truncated)), 0, 0, LIMITS))
                .isInstanceOfSatisfying(InvalidArchiveException.class, e -> assertThat(e.given()).contains("cats/cut.png"));
    }

    @Test
    void refusesPathTraversalAbsoluteNamesAndNestedTrainTestFolders() throws IOException {
        byte[] png = encode(filled(2, 2, BufferedImage.TYPE_BYTE_GRAY, Color.BLACK), "png");
        for (String name : List.of("cats/../../etc/x.png", "/etc/cats/x.png", "C:/cats/x.png", "cats\\x.png")) {
            assertThatThrownBy(() -> ImageFolders.read(zip(Map.of(name, png)), 0, 0, LIMITS)).as(name)
                    .isInstanceOfSatisfying(InvalidArchiveException.class, e -> assertThat(e.entry()).isEqualTo(name));
        }
        Map<String, byte[]> split = new LinkedHashMap<>();
        split.put("train/cats/1.png", png);
        split.put("test/cats/2.png", png);
        assertThatThrownBy(() -> ImageFolders.read(zip(split), 0, 0, LIMITS))
                .isInstanceOfSatisfying(InvalidArchiveException.class, e -> assertThat(e.given()).contains("two zips"));
    }

    @Test
    void capsEntriesInflatedBytesAndPixelsWhateverTheHeadersSay() throws IOException {
        byte[] png = encode(filled(2, 2, BufferedImage.TYPE_BYTE_GRAY, Color.BLACK), "png");
        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i < 11; i++) many.put("a/" + i + ".png", png);
        assertThatThrownBy(() -> ImageFolders.read(zip(many), 0, 0, new ImageFolderLimits(10, 1 << 20, 100)))
                .isInstanceOfSatisfying(InvalidArchiveException.class, e -> {
                    assertThat(e.tooLarge()).isTrue();
                    assertThat(e.given()).contains("11 entries");
                });

        Path bomb = zip(Map.of("a/bomb.png", new byte[4 << 20]));
        lieAboutSizes(bomb, 100);
        assertThatThrownBy(() -> ImageFolders.read(bomb, 0, 0, new ImageFolderLimits(10, 1 << 20, 100)))
                .isInstanceOfSatisfying(InvalidArchiveException.class, e -> {
                    assertThat(e.tooLarge()).isTrue();
                    assertThat(e.entry()).isEqualTo("a/bomb.png");
                });

        byte[] wide = encode(filled(20, 10, BufferedImage.TYPE_BYTE_GRAY, Color.BLACK), "png");
        assertThatThrownBy(() -> ImageFolders.read(zip(Map.of("a/wide.png", wide)), 0, 0, new ImageFolderLimits(10, 1 << 20, 199)))
                .isInstanceOfSatisfying(InvalidArchiveException.class, e -> assertThat(e.given()).contains("20 x 10"));
    }

    /** Rewrites every uncompressed size a zip declares (central directory) to {@code size}. */
    private static void lieAboutSizes(Path zip, int size) throws IOException {
        byte[] bytes = Files.readAllBytes(zip);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int patched = 0;
        for (int i = 0; i + 28 < bytes.length; i++) {
            if (b.getInt(i) == 0x02014b50) {
                b.putInt(i + 24, size);
                patched++;
            }
        }
        assertThat(patched).isPositive();
        Files.write(zip, bytes);
    }
}
