package io.trainserve.engine.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an {@link ImageSet} as an IDX pair that {@link IdxReader} reads back: images with magic 2052
 * ({@code count x channels x rows x cols} unsigned bytes) and labels with magic 2049. Decoded folder
 * images are stored this way, so a dataset is not decoded from its zip again.
 */
public final class IdxWriter {
    private IdxWriter() {}

    public static void write(ImageSet set, Path images, Path labels) {
        try (DataOutputStream out = open(images)) {
            out.writeInt(IdxReader.CHANNEL_IMAGES_MAGIC);
            out.writeInt(set.count());
            out.writeInt(set.channels());
            out.writeInt(set.rows());
            out.writeInt(set.cols());
            out.write(set.pixels());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + images, e);
        }
        try (DataOutputStream out = open(labels)) {
            out.writeInt(IdxReader.LABELS_MAGIC);
            out.writeInt(set.count());
            out.write(set.labels());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + labels, e);
        }
    }

    private static DataOutputStream open(Path file) throws IOException {
        OutputStream raw = Files.newOutputStream(file);
        return new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
    }
}
