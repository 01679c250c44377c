package io.trainserve.service.system;

/** The request is fine but the resource's current state forbids it: 409 with a stable code. */
public class ConflictException extends RuntimeException {
    private final String code;

    public ConflictException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() { return code; }
}
