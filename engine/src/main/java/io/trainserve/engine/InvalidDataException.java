package io.trainserve.engine;

/**
 * A data file (or a predict body) does not hold what it should. Says where (row as the user counts
 * them in the file, header = row 1; -1 when rows do not apply, as in IDX files), which column, what
 * was expected and what was found, so the API can point at the exact cell.
 */
public class InvalidDataException extends RuntimeException {
    private final long row;
    private final String column;
    private final String expected;
    private final String found;

    /** Message is derived: {@code row 7, column 'age': expected a number, found 'abc'}. */
    public InvalidDataException(long row, String column, String expected, String found) {
        this(location(row, column) + "expected " + expected + ", found " + found, row, column, expected, found);
    }

    public InvalidDataException(String message, long row, String column, String expected, String found) {
        super(message);
        this.row = row;
        this.column = column;
        this.expected = expected;
        this.found = found;
    }

    public long row() { return row; }

    /** Column name (or position, for header problems); null when the problem is not in one column. */
    public String column() { return column; }

    public String expected() { return expected; }

    public String found() { return found; }

    /** {@code "row 7, column 'age': "}, or the part of it that applies, or nothing. */
    public static String location(long row, String column) {
        StringBuilder at = new StringBuilder();
        if (row > 0) at.append("row ").append(row);
        if (column != null) at.append(at.isEmpty() ? "" : ", ").append("column '").append(column).append('\'');
        return at.isEmpty() ? "" : at.append(": ").toString();
    }
}
