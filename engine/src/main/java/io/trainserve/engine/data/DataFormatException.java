package io.trainserve.engine.data;

import io.trainserve.engine.InvalidDataException;

/** What the engine's readers and dataset builders throw for a file that does not hold what it should (see {@link InvalidDataException}). */
public class DataFormatException extends InvalidDataException {
    /** Message is derived: {@code row 7, column 'age': expected a number, found 'abc'}. */
    public DataFormatException(long row, String column, String expected, String found) {
        super(row, column, expected, found);
    }

    public DataFormatException(String message, long row, String column, String expected, String found) {
        super(message, row, column, expected, found);
    }
}
