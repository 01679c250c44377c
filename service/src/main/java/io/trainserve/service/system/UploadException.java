package io.trainserve.service.system;

/** An uploaded part is unusable before parsing even starts (e.g. empty): 422 naming the part. */
public class UploadException extends RuntimeException {
    private final String part;

    public UploadException(String part, String message) {
        super(message);
        this.part = part;
    }

    public String part() { return part; }
}
