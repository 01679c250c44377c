package io.trainserve.engine.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.ZipException;

/**
 * Reads an MNIST-style IDX pair: images (magic 2051, count, rows, cols, then pixels; or magic 2052 with
 * channels after the count, as {@link IdxWriter} stores colour images) and labels
 * (magic 2049, count, then labels), big-endian, gzipped or not. Checks that the headers, the file
 * lengths and the two counts agree, and says which file is wrong.
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 2051;
    /** Unsigned bytes in four dimensions: {@code count x channels x rows x cols}, as {@link IdxWriter} stores folder images. */
    static final int CHANNEL_IMAGES_MAGIC = 2052;
    static final int LABELS_MAGIC = 2049;

    private IdxReader() {}

    public static ImageSet read(Path images, Path labels) {
        try (InputStream imageStream = Files.newInputStream(images); InputStream labelStream = Files.newInputStream(labels)) {
            return read(imageStream, labelStream);
        } catch (IOException e) {
            throw RawInput.unchecked(images + " and " + labels, e);
        }
    }

    public static ImageSet read(InputStream images, InputStream labels) {
        Part pixels = readPart("images file", images, IMAGES_MAGIC, "an IDX image file", 3, "pixel bytes");
        if (pixels.dims.length == 3) pixels = new Part(new int[] {pixels.dims[0], 1, pixels.dims[1], pixels.dims[2]}, pixels.data, pixels.sha256);
        Part labelBytes = readPart("labels file", labels, LABELS_MAGIC, "an IDX label file", 1, "label bytes");
        int count = pixels.dims[0];
        if (labelBytes.dims[0] != count) {
            throw new DataFormatException("the images file holds " + count + " images but the labels file holds "
                    + labelBytes.dims[0] + " labels", -1, null, count + " labels", String.valueOf(labelBytes.dims[0]));
        }
        // One checksum for the pair: the hash of both files' hashes, so swapping either file changes it.
        String both = HexFormat.of().formatHex(RawInput.sha256().digest(
                (pixels.sha256 + labelBytes.sha256).getBytes(StandardCharsets.US_ASCII)));
        return new ImageSet(count, pixels.dims[1], pixels.dims[2], pixels.dims[3], pixels.data, labelBytes.data, null, both);
    }

    private record Part(int[] dims, byte[] data, String sha256) {}

    private static Part readPart(String file, InputStream in, int magic, String kind, int dimCount, String dataName) {
        try {
            RawInput raw = RawInput.open(in);
            InputStream content = raw.content();
            byte[] header = content.readNBytes(4 + 4 * dimCount);
            if (header.length == 0) throw problem(file + ": the file is empty", "an IDX header", "an empty file");
            if (magic == IMAGES_MAGIC && header.length >= 4 && readInt(header, 0) == CHANNEL_IMAGES_MAGIC) {
                magic = CHANNEL_IMAGES_MAGIC; // one more dimension: channels
                dimCount = 4;
                byte[] rest = content.readNBytes(4);
                byte[] longer = Arrays.copyOf(header, header.length + rest.length);
                System.arraycopy(rest, 0, longer, header.length, rest.length);
                header = longer;
            }
            if (header.length >= 4 && readInt(header, 0) != magic) {
                int found = readInt(header, 0);
                throw problem(file + ": magic number " + found + " is not " + kind + " (expected " + magic + ")",
                        "magic number " + magic, String.valueOf(found));
            }
            if (header.length < 4 + 4 * dimCount) {
                throw problem(file + ": expected a " + (4 + 4 * dimCount) + "-byte header, found " + header.length + " bytes",
                        (4 + 4 * dimCount) + " header bytes", String.valueOf(header.length));
            }
            int[] dims = new int[dimCount];
            long total = 1;
            for (int d = 0; d < dimCount; d++) {
                dims[d] = readInt(header, 4 + 4 * d);
                if (dims[d] < 0) throw problem(file + ": header size " + dims[d] + " is negative", "a size >= 0", String.valueOf(dims[d]));
                total *= dims[d];
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw problem(file + ": header announces " + total + " " + dataName + ", more than fits in memory",
                        "at most " + (Integer.MAX_VALUE - 8) + " " + dataName, String.valueOf(total));
            }
            byte[] data = content.readNBytes((int) total);
            if (data.length < total) {
                throw problem(file + ": expected " + total + " " + dataName + ", found " + data.length,
                        total + " " + dataName, String.valueOf(data.length));
            }
            if (content.read() >= 0) {
                throw problem(file + ": expected " + total + " " + dataName + ", found more data after them",
                        total + " " + dataName, "more data");
            }
            return new Part(dims, data, raw.finishSha256());
        } catch (ZipException | EOFException e) {
            throw problem(file + ": the file looks gzipped but its data is corrupt or truncated", "valid gzip data", "corrupt data");
        } catch (IOException e) {
            throw RawInput.unchecked(file, e);
        }
    }

    private static DataFormatException problem(String message, String expected, String found) {
        return new DataFormatException(message, -1, null, expected, found);
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
