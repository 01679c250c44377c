package io.trainserve.service.dataset;

import io.trainserve.engine.ImageData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** A stored image as a PNG data URL ({@code data:image/png;base64,…}) at its stored size, for previews. */
final class Thumbnails {
    private Thumbnails() {
    }

    static String dataUrl(ImageData images, int i) {
        int h = images.rows(), w = images.cols(), plane = h * w, base = i * images.size();
        byte[] p = images.pixels();
        boolean rgb = images.channels() == 3;
        BufferedImage image = new BufferedImage(w, h, rgb ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = base + y * w + x;
                if (rgb) {
                    image.setRGB(x, y, (p[at] & 0xFF) << 16 | (p[at + plane] & 0xFF) << 8 | (p[at + 2 * plane] & 0xFF));
                } else {
                    image.getRaster().setSample(x, y, 0, p[at] & 0xFF);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
