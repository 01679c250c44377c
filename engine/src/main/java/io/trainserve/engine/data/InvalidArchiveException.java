package io.trainserve.engine.data;

/** What the folder reader throws for a zip it cannot use (see {@link io.trainserve.engine.InvalidArchiveException}). */
public class InvalidArchiveException extends io.trainserve.engine.InvalidArchiveException {
    public InvalidArchiveException(String entry, String given, String allowed, boolean tooLarge) {
        super(entry, given, allowed, tooLarge);
    }
}
