package io.trainserve.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The root entry points the service uses for image folders and image files, through the backend (no engine.data). */
class ImageFilesTest {
    @TempDir Path dir;

    static byte[] png(int width, int height, Color color) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, width, height);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, "png", out)).isTrue();
        return out.toByteArray();
    }

    Path zip(String... namesThenColours) throws IOException {
        Path file = dir.resolve("folders.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (String name : namesThenColours) {
                out.putNextEntry(new ZipEntry(name));
                out.write(png(6, 4, name.startsWith("red") ? Color.RED : Color.BLUE));
                out.closeEntry();
            }
        }
        return file;
    }

    @Test
    void foldersAreReadResizedStoredAsIdxAndReadBackWithTheirClassNames() throws IOException {
        ImageData read = DataFiles.readImageFolders(zip("red/1.png", "red/2.png", "blue/1.png"), 3, 5, ImageFolderLimits.DEFAULT);
        assertThat(List.of(read.count(), read.channels(), read.rows(), read.cols(), read.size())).containsExactly(3, 3, 3, 5, 45);
        assertThat(read.classes()).containsExactly("blue", "red");
        assertThat(read.classCounts()).containsExactly(1L, 2L);
        assertThat(read.describe().imageShape()).containsExactly(3, 3, 5);
        assertThat(read.describe().labels()).containsExactly("blue", "red");

        Path images = dir.resolve("images.idx"), labels = dir.resolve("labels.idx");
        read.writeIdx(images, labels);
        ImageData plain = DataFiles.readIdx(images, labels);
        assertThat(plain.classNames()).isNull();
        assertThat(plain.classes()).containsExactly("0", "1");
        ImageData back = plain.withClassNames(read.classes());
        assertThat(back.pixels()).isEqualTo(read.pixels());
        assertThat(back.className(0)).isEqualTo(read.className(0));
        assertThat(back.dataset().inputSchema().imageShape()).containsExactly(3, 3, 5);
    }

    @Test
    void aLimitExceededIsARootInvalidArchiveExceptionMarkedTooLarge() throws IOException {
        Path zip = zip("red/1.png", "blue/1.png");
        assertThatThrownBy(() -> DataFiles.readImageFolders(zip, 0, 0, new ImageFolderLimits(1, 1 << 20, 100)))
                .isInstanceOfSatisfying(InvalidArchiveException.class, e -> {
                    assertThat(e.tooLarge()).isTrue();
                    assertThat(e.given()).contains("2 entries");
                });
    }

    @Test
    void anImageFileIsSizedFromItsHeaderAndResizedLikeFolderImages() throws IOException {
        byte[] red = png(6, 4, Color.RED);
        assertThat(DataFiles.imageSize(red)).containsExactly(6, 4);
        byte[] gray = DataFiles.imagePixels(red, 1, 2, 3);
        assertThat(gray).hasSize(6);
        assertThat(gray[0] & 0xFF).isEqualTo(76); // luma of pure red: 299 * 255 / 1000, rounded
        byte[] rgb = DataFiles.imagePixels(red, 3, 2, 3);
        assertThat(rgb[0] & 0xFF).isEqualTo(255);
        assertThat(rgb[6] & 0xFF).isZero();
        byte[] notAnImage = "a,b\n1,2\n".getBytes();
        assertThat(DataFiles.imageSize(notAnImage)).isNull();
        assertThat(DataFiles.imagePixels(notAnImage, 1, 2, 3)).isNull();
    }
}
