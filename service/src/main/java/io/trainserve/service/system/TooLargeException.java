package io.trainserve.service.system;

/**
 * A request within the upload limits that still asks for too much at once (e.g. too many predict
 * instances): 413 instead of 400, otherwise the same field/given/allowed problem.
 */
public class TooLargeException extends BadRequestException {
    public TooLargeException(String field, String given, String allowed) {
        super(field, given, allowed);
    }
}
