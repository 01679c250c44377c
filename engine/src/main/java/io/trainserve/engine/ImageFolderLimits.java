package io.trainserve.engine;

/**
 * Caps on an untrusted zip of image class folders ({@link DataFiles#readImageFolders}), and the sizes its
 * images may be resized to.
 *
 * @param maxEntries     entries in the archive (files and folders)
 * @param maxBytes       bytes inflated from all entries together
 * @param maxImagePixels width x height of any one image, checked before it is decoded (also for predict's image files)
 */
public record ImageFolderLimits(int maxEntries, long maxBytes, long maxImagePixels) {
    public static final ImageFolderLimits DEFAULT = new ImageFolderLimits(100_000, 1L << 30, 25_000_000L);
    /** The default size's cap: a larger most common size is scaled down so its longer side is this. */
    public static final int DEFAULT_CAP = 64;
    /** The largest side a requested image size may have. */
    public static final int MAX_SIDE = 128;
}
