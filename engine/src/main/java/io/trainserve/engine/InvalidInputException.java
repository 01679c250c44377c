package io.trainserve.engine;

/**
 * A predict request's input does not fit the model's {@link InputSchema}: which field, what was given
 * (as the client wrote it, e.g. {@code "abc"} with quotes for a string) and what the model expects.
 */
public class InvalidInputException extends RuntimeException {
    private final String field;
    private final String given;
    private final String expected;

    public InvalidInputException(String field, String given, String expected) {
        super(field + ": given " + given + "; expected " + expected);
        this.field = field;
        this.given = given;
        this.expected = expected;
    }

    public String field() { return field; }

    public String given() { return given; }

    public String expected() { return expected; }
}
