package io.trainserve.service.storage;

/** No blob is stored under the key. */
public class BlobNotFoundException extends RuntimeException {
    public BlobNotFoundException(String key) {
        super("no stored blob '" + key + "'");
    }
}
