package io.trainserve.engine;

/**
 * A model file (to import) or a model (to export) uses something this engine cannot express: the
 * message names the layer or class found and what is supported.
 */
public class UnsupportedModelException extends RuntimeException {
    public UnsupportedModelException(String message) {
        super(message);
    }

    public UnsupportedModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
