package io.trainserve.engine.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The one way an image becomes model input, for training (folder zips) and for predict (uploaded files):
 * drawn onto an RGB canvas of the model's height x width with bilinear interpolation (transparent pixels
 * become black), then laid out channels first as raw 0..255 values: three channels R, G, B, or one, the
 * luma {@code (299 R + 587 G + 114 B) / 1000} rounded as PIL's {@code convert("L")} (a gray pixel keeps its value).
 */
public final class ImagePixels {
    private ImagePixels() {
    }

    /** The width and height a PNG or JPEG file declares, read from its header without decoding; null when it is neither. */
    public static int[] size(byte[] file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(file))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            while (readers.hasNext()) {
                ImageReader reader = readers.next();
                try {
                    String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                    if (!format.equals("png") && !format.equals("jpeg")) continue;
                    reader.setInput(in, true, true);
                    return new int[] {reader.getWidth(0), reader.getHeight(0)};
                } finally {
                    reader.dispose();
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A PNG or JPEG file decoded by ImageIO; null when it is neither or corrupt. Check {@link #size} first: decoding allocates every pixel. */
    public static BufferedImage decode(byte[] file) {
        try {
            return ImageIO.read(new ByteArrayInputStream(file));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * @param channels 1 (luma) or 3 (RGB)
     * @return {@code channels x height x width} values 0..255
     */
    public static byte[] of(BufferedImage image, int channels, int height, int width) {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException(channels + " channels: 1 or 3 allowed");
        Raster raster = resized(image, height, width).getRaster();
        byte[] out = new byte[channels * height * width];
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = raster.getSample(x, y, 0), g = raster.getSample(x, y, 1), b = raster.getSample(x, y, 2);
                int at = y * width + x;
                if (channels == 1) {
                    out[at] = (byte) Math.round((299 * r + 587 * g + 114 * b) / 1000f);
                } else {
                    out[at] = (byte) r;
                    out[plane + at] = (byte) g;
                    out[2 * plane + at] = (byte) b;
                }
            }
        }
        return out;
    }

    /** True when some pixel of these RGB planes ({@link #of} with 3 channels) is not gray. */
    static boolean coloured(byte[] rgb, int offset, int plane) {
        for (int i = offset; i < offset + plane; i++) {
            if (rgb[i] != rgb[i + plane] || rgb[i] != rgb[i + 2 * plane]) return true;
        }
        return false;
    }

    private static BufferedImage resized(BufferedImage image, int height, int width) {
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return canvas;
    }
}
