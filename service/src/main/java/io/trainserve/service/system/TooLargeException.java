package io.trainserve.service.system;

/** A request within the upload limits that still asks for too much at once (e.g. too many predict instances): 413. */
public class TooLargeException extends RuntimeException {
    private final String field;
    private final String given;
    private final String allowed;

    public TooLargeException(String field, String given, String allowed) {
        super(field + ": given " + given + "; allowed: " + allowed);
        this.field = field;
        this.given = given;
        this.allowed = allowed;
    }

    public String field() { return field; }

    public String given() { return given; }

    public String allowed() { return allowed; }
}
