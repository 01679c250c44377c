package io.trainserve.service.storage;

/** A blob's bytes no longer match the checksum recorded when it was written. */
public class CorruptBlobException extends RuntimeException {
    private final String key;

    public CorruptBlobException(String key, String expected, String actual) {
        super("stored blob '" + key + "' is corrupt: its SHA-256 is " + actual + " but " + expected + " was written");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
