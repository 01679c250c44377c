package io.trainserve.service.system;

/** A request value the service (not the engine) rejects: 400 naming the field, what was given and what is allowed. */
public class BadRequestException extends RuntimeException {
    private final String field;
    private final String given;
    private final String allowed;

    public BadRequestException(String field, String given, String allowed) {
        super(field + ": given " + given + "; allowed: " + allowed);
        this.field = field;
        this.given = given;
        this.allowed = allowed;
    }

    public String field() { return field; }

    public String given() { return given; }

    public String allowed() { return allowed; }
}
