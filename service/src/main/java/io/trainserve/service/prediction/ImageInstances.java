package io.trainserve.service.prediction;

import io.trainserve.engine.InputSchema;
import io.trainserve.engine.InvalidInputException;
import io.trainserve.service.system.BadRequestException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.springframework.web.multipart.MultipartFile;

/**
 * PNG or JPEG files (multipart parts {@code file}, repeatable) as a model's image input: each is decoded,
 * resized to the model's height x width with bilinear interpolation and converted to its channels (RGB for
 * three; for one, the luma {@code (299 R + 587 G + 114 B) / 1000} rounded, as PIL's {@code convert("L")}),
 * then laid out [channels][height][width] as raw 0..255 pixel values,
 * the way IDX images are read for training (the model applies its fitted pixel scaling itself).
 */
final class ImageInstances {
    private ImageInstances() {
    }

    static Rows decode(InputSchema schema, List<MultipartFile> files, int maxInstances) {
        if (!schema.isImage()) {
            throw new BadRequestException("file", "image files", "this model takes tabular rows: JSON instances or a CSV body (Content-Type text/csv)");
        }
        if (files.size() > maxInstances) {
            throw new io.trainserve.service.system.TooLargeException("file", files.size() + " files", "at most " + maxInstances + " images per request");
        }
        List<Integer> shape = schema.imageShape();
        int channels = shape.get(0), height = shape.get(1), width = shape.get(2), size = schema.width();
        if (channels != 1 && channels != 3) {
            throw new BadRequestException("file", "image files", "JSON instances: this model takes " + channels + "-channel images, and files give 1 (gray) or 3 (RGB)");
        }
        float[] data = new float[files.size() * size];
        for (int i = 0; i < files.size(); i++) {
            BufferedImage image = read(files.get(i), i);
            BufferedImage resized = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = resized.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, width, height, null);
            g.dispose();
            Raster raster = resized.getRaster();
            int base = i * size;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int r = raster.getSample(x, y, 0), gr = raster.getSample(x, y, 1), b = raster.getSample(x, y, 2);
                    if (channels == 1) {
                        data[base + y * width + x] = Math.round((299 * r + 587 * gr + 114 * b) / 1000f);
                    } else {
                        data[base + y * width + x] = r;
                        data[base + (height + y) * width + x] = gr;
                        data[base + (2 * height + y) * width + x] = b;
                    }
                }
            }
        }
        return new Rows(data, files.size(), size);
    }

    private static BufferedImage read(MultipartFile file, int index) {
        String field = "file[" + index + "]";
        BufferedImage image;
        try (InputStream in = file.getInputStream()) {
            image = ImageIO.read(in);
        } catch (IOException e) {
            image = null;
        }
        if (image == null) {
            String name = file.getOriginalFilename() == null ? "" : "'" + file.getOriginalFilename() + "', ";
            throw new InvalidInputException(field, name + file.getSize() + " bytes that are not a PNG or JPEG image", "a PNG or JPEG image");
        }
        return image;
    }
}
