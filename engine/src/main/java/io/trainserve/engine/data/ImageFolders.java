package io.trainserve.engine.data;

import io.trainserve.engine.ImageFolderLimits;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a zip whose top-level folders name the classes ({@code cats/1.png}, {@code dogs/a.jpg}) into an
 * {@link ImageSet}: PNG and JPEG of any size, decoded by the JDK's ImageIO and resized by {@link ImagePixels}
 * (the same path predict takes), three channels if any image has colour, else one. Classes are the folder
 * names sorted (as Keras' {@code flow_from_directory}); images in entry-name order within a class.
 * <p>
 * The archive is untrusted: entry names with {@code ..}, absolute names and backslashes are refused;
 * entries, the bytes actually inflated (header sizes are not trusted) and each image's pixels are
 * capped by {@link ImageFolderLimits}. Hidden files and {@code __MACOSX/} are skipped. Folders nested inside a
 * class folder (e.g. {@code train/cats/1.png}) are refused: upload train and test as two zips.
 */
public final class ImageFolders {
    /** The default size's cap: a larger most common size is scaled down so its longer side is this. */
    public static final int DEFAULT_CAP = ImageFolderLimits.DEFAULT_CAP;
    /** The largest side {@code imageSize} may ask for. */
    public static final int MAX_SIDE = ImageFolderLimits.MAX_SIDE;
    /** The largest single image file: no PNG or JPEG a class folder needs is larger. */
    static final int MAX_FILE_BYTES = 64 << 20;
    static final String LAYOUT = "a zip whose top-level folders name the classes, each holding PNG or JPEG images (<class>/<image>)";

    private record Image(String entry, int label, int width, int height) {
    }

    private ImageFolders() {
    }

    /**
     * @param height requested height, or 0 for the most common size (capped at {@link #DEFAULT_CAP})
     * @param width  requested width (0 with height 0)
     * @throws InvalidArchiveException naming the entry that cannot be used or the limit exceeded
     */
    public static ImageSet read(Path zip, int height, int width, ImageFolderLimits limits) {
        if (height < 0 || width < 0 || height > MAX_SIDE || width > MAX_SIDE || (height == 0) != (width == 0)) {
            throw new IllegalArgumentException(height + "x" + width + ": sides 1.." + MAX_SIDE + ", or 0x0 for the default");
        }
        try (ZipFile file = open(zip)) {
            if (file.size() > limits.maxEntries()) {
                throw new InvalidArchiveException(null, file.size() + " entries", "at most " + limits.maxEntries() + " entries", true);
            }
            Budget budget = new Budget(limits.maxBytes());
            List<String> classes = new ArrayList<>();
            List<Image> images = scan(file, limits, budget, classes);
            int[] size = height > 0 ? new int[] {height, width} : defaultSize(images);
            return decode(file, images, classes, size[0], size[1], budget, zip);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + zip.getFileName(), e);
        }
    }

    private static ZipFile open(Path zip) throws IOException {
        try {
            return new ZipFile(zip.toFile());
        } catch (ZipException e) {
            throw new InvalidArchiveException(null, "a file that is not a readable zip archive", LAYOUT, false);
        }
    }

    /** First pass: names checked, classes found, each image's header read (size, and that it is PNG or JPEG). */
    private static List<Image> scan(ZipFile file, ImageFolderLimits limits, Budget budget, List<String> classes) throws IOException {
        TreeMap<String, List<String>> byClass = new TreeMap<>();
        Enumeration<? extends ZipEntry> entries = file.entries();
        while (entries.hasMoreElements()) {
            ZipEntry e = entries.nextElement();
            List<String> path = safePath(e.getName());
            if (e.isDirectory() || skipped(path)) continue;
            if (path.size() == 1) {
                throw new InvalidArchiveException(e.getName(), "an image outside any class folder", LAYOUT, false);
            }
            if (path.size() > 2) {
                String top = path.get(0).toLowerCase(Locale.ROOT);
                String why = top.equals("train") || top.equals("test") || top.equals("validation")
                        ? "a '" + path.get(0) + "/' folder of class folders; upload train and test as two zips (each with the class folders at the top) and name the test one in the job's test.datasetId"
                        : "a folder nested inside the class folder '" + path.get(0) + "/'";
                throw new InvalidArchiveException(e.getName(), why, LAYOUT, false);
            }
            byClass.computeIfAbsent(path.get(0), k -> new ArrayList<>()).add(e.getName());
        }
        if (byClass.isEmpty()) {
            throw new InvalidArchiveException(null, "no class folders with images", LAYOUT, false);
        }
        if (byClass.size() > 256) {
            throw new InvalidArchiveException(null, byClass.size() + " class folders", "at most 256 classes", false);
        }
        List<Image> images = new ArrayList<>();
        for (Map.Entry<String, List<String>> c : byClass.entrySet()) {
            int label = classes.size();
            classes.add(c.getKey());
            List<String> names = c.getValue();
            Collections.sort(names);
            for (String name : names) {
                byte[] bytes = budget.read(file, file.getEntry(name));
                int[] wh = header(name, bytes);
                if ((long) wh[0] * wh[1] > limits.maxImagePixels()) {
                    throw new InvalidArchiveException(name, "an image of " + wh[0] + " x " + wh[1] + " pixels",
                            "images of at most " + limits.maxImagePixels() + " pixels", true);
                }
                images.add(new Image(name, label, wh[0], wh[1]));
            }
        }
        return images;
    }

    /** Second pass: every image decoded and resized to RGB; one channel when none has colour. */
    private static ImageSet decode(ZipFile file, List<Image> images, List<String> classes, int height, int width,
                                   Budget budget, Path zip) throws IOException {
        int plane = height * width;
        long total = (long) images.size() * 3 * plane;
        if (total > Integer.MAX_VALUE - 8) {
            throw new InvalidArchiveException(null, images.size() + " images of " + height + " x " + width + " pixels",
                    "at most " + (Integer.MAX_VALUE - 8) / (3 * plane) + " images at that size (choose a smaller imageSize)", true);
        }
        byte[] rgb = new byte[(int) total];
        byte[] labels = new byte[images.size()];
        boolean coloured = false;
        budget.restart();
        for (int i = 0; i < images.size(); i++) {
            Image image = images.get(i);
            BufferedImage decoded = decodeImage(image.entry(), budget.read(file, file.getEntry(image.entry())));
            System.arraycopy(ImagePixels.of(decoded, 3, height, width), 0, rgb, i * 3 * plane, 3 * plane);
            coloured = coloured || ImagePixels.coloured(rgb, i * 3 * plane, plane);
            labels[i] = (byte) image.label();
        }
        byte[] pixels = coloured ? rgb : firstPlanes(rgb, images.size(), plane);
        String sha256 = sha256(zip);
        return new ImageSet(images.size(), coloured ? 3 : 1, height, width, pixels, labels, classes, sha256);
    }

    private static String sha256(Path zip) throws IOException {
        try (DigestInputStream hashed = new DigestInputStream(Files.newInputStream(zip), RawInput.sha256())) {
            hashed.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(hashed.getMessageDigest().digest());
        }
    }

    /** Gray RGB pixels have R = G = B = their luma: the R plane is the one-channel image. */
    private static byte[] firstPlanes(byte[] rgb, int count, int plane) {
        byte[] gray = new byte[count * plane];
        for (int i = 0; i < count; i++) System.arraycopy(rgb, i * 3 * plane, gray, i * plane, plane);
        return gray;
    }

    /** The most common width x height; scaled down to fit {@link #DEFAULT_CAP} keeping its aspect ratio. */
    static int[] defaultSize(List<Image> images) {
        Map<Long, Integer> counts = new HashMap<>();
        long best = 0;
        int bestCount = 0;
        for (Image i : images) {
            long key = ((long) i.height() << 32) | i.width();
            int c = counts.merge(key, 1, Integer::sum);
            if (c > bestCount || (c == bestCount && key < best)) {
                best = key;
                bestCount = c;
            }
        }
        int h = (int) (best >>> 32), w = (int) best;
        int longer = Math.max(h, w);
        if (longer <= DEFAULT_CAP) return new int[] {h, w};
        return new int[] {Math.max(1, Math.round((float) h * DEFAULT_CAP / longer)), Math.max(1, Math.round((float) w * DEFAULT_CAP / longer))};
    }

    /** Width and height from the header alone (no pixels decoded yet), or a problem naming the entry. */
    private static int[] header(String name, byte[] bytes) {
        int[] size = ImagePixels.size(bytes);
        if (size == null) throw notAnImage(name, bytes.length);
        return size;
    }

    private static BufferedImage decodeImage(String name, byte[] bytes) {
        BufferedImage image = ImagePixels.decode(bytes);
        if (image == null) throw notAnImage(name, bytes.length);
        return image;
    }

    private static InvalidArchiveException notAnImage(String name, int length) {
        return new InvalidArchiveException(name, length + " bytes that are not a readable PNG or JPEG image (corrupt or another format)",
                "PNG or JPEG images", false);
    }

    /** The entry's path segments, or a refusal for names that could escape a folder. */
    static List<String> safePath(String name) {
        if (name.startsWith("/") || name.contains("\\") || name.indexOf('\0') >= 0 || name.matches("^[A-Za-z]:.*")) {
            throw new InvalidArchiveException(name.replace('\0', '?'), "an absolute or unsafe entry name",
                    "relative names with '/' between folders, without '..'", false);
        }
        List<String> path = new ArrayList<>();
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw new InvalidArchiveException(name, "a name that climbs out of the archive with '..'",
                        "relative names with '/' between folders, without '..'", false);
            }
            if (!segment.isEmpty() && !segment.equals(".")) path.add(segment);
        }
        return path;
    }

    /** macOS resource forks, hidden files (.DS_Store) and Windows' thumbnails are not images of a class. */
    private static boolean skipped(List<String> path) {
        if (path.isEmpty() || path.get(0).equals("__MACOSX")) return true;
        String last = path.get(path.size() - 1);
        return path.stream().anyMatch(s -> s.startsWith(".")) || last.equalsIgnoreCase("Thumbs.db") || last.equalsIgnoreCase("desktop.ini");
    }

    /** Counts the bytes actually inflated, whatever the headers claim, and stops at the cap. */
    private static final class Budget {
        private final long max;
        private long used;

        Budget(long max) {
            this.max = max;
        }

        void restart() {
            used = 0;
        }

        byte[] read(ZipFile file, ZipEntry entry) throws IOException {
            long left = max - used;
            try (InputStream in = file.getInputStream(entry)) {
                byte[] bytes = in.readNBytes((int) Math.min(left + 1, MAX_FILE_BYTES + 1L));
                used += bytes.length;
                if (bytes.length > MAX_FILE_BYTES && used <= max) {
                    throw new InvalidArchiveException(entry.getName(), "an image file of more than " + MAX_FILE_BYTES + " bytes",
                            "image files of at most " + MAX_FILE_BYTES + " bytes", true);
                }
                if (used > max) {
                    throw new InvalidArchiveException(entry.getName(), "more than " + max + " bytes once uncompressed (all entries together)",
                            "at most " + max + " uncompressed bytes", true);
                }
                return bytes;
            } catch (ZipException e) {
                throw new InvalidArchiveException(entry.getName(), "corrupt compressed data", "a valid zip archive", false);
            }
        }
    }
}
