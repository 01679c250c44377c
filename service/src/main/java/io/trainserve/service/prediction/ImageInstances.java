package io.trainserve.service.prediction;

import io.trainserve.engine.DataFiles;
import io.trainserve.engine.ImageFolderLimits;
import io.trainserve.engine.InputSchema;
import io.trainserve.engine.InvalidInputException;
import io.trainserve.service.system.BadRequestException;
import io.trainserve.service.system.TooLargeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.springframework.web.multipart.MultipartFile;

/**
 * PNG or JPEG files (multipart parts {@code file}, repeatable) as a model's image input: each is decoded and
 * resized to the model's [channels][height][width] by the engine ({@link DataFiles#imagePixels}), exactly as folder
 * images are for training, as raw 0..255 pixel values (the model applies its fitted pixel scaling itself).
 */
final class ImageInstances {
    /** As for images in an uploaded zip: width x height of one image. */
    static final long MAX_PIXELS = ImageFolderLimits.DEFAULT.maxImagePixels();

    private ImageInstances() {
    }

    static Rows decode(InputSchema schema, List<MultipartFile> files, int maxInstances) {
        if (!schema.isImage()) {
            throw new BadRequestException("file", "image files", "this model takes tabular rows: JSON instances or a CSV body (Content-Type text/csv)");
        }
        if (files.size() > maxInstances) {
            throw new TooLargeException("file", files.size() + " files", "at most " + maxInstances + " images per request");
        }
        List<Integer> shape = schema.imageShape();
        int channels = shape.get(0), height = shape.get(1), width = shape.get(2), size = schema.width();
        if (channels != 1 && channels != 3) {
            throw new BadRequestException("file", "image files", "JSON instances: this model takes " + channels + "-channel images, and files give 1 (gray) or 3 (RGB)");
        }
        float[] data = new float[files.size() * size];
        for (int i = 0; i < files.size(); i++) {
            byte[] pixels = read(files.get(i), i, channels, height, width);
            for (int k = 0; k < size; k++) data[i * size + k] = pixels[k] & 0xFF;
        }
        return new Rows(data, files.size(), size);
    }

    /** Decoded after its header's size is checked, so a tiny file declaring a huge image is refused, not allocated. */
    private static byte[] read(MultipartFile file, int index, int channels, int height, int width) {
        String field = "file[" + index + "]";
        String name = file.getOriginalFilename() == null ? "" : "'" + file.getOriginalFilename() + "', ";
        byte[] bytes;
        try (InputStream in = file.getInputStream()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read part " + field, e);
        }
        int[] size = DataFiles.imageSize(bytes);
        if (size != null && (long) size[0] * size[1] > MAX_PIXELS) {
            throw new TooLargeException(field, name + "an image of " + size[0] + " x " + size[1] + " pixels",
                    "images of at most " + MAX_PIXELS + " pixels");
        }
        byte[] pixels = size == null ? null : DataFiles.imagePixels(bytes, channels, height, width);
        if (pixels == null) {
            throw new InvalidInputException(field, name + file.getSize() + " bytes that are not a PNG or JPEG image", "a PNG or JPEG image");
        }
        return pixels;
    }
}
