package io.trainserve.engine.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A parsed tabular file, column by column: numeric columns as float32 (NaN = missing), text columns
 * as strings (null = missing). Immutable: accessors return copies.
 */
public final class Table {
    private final List<String> columnNames;
    private final List<Column> columns;
    private final int[] fileRows;
    private final String sha256;
    private volatile List<ColumnStats> schema;

    /**
     * @param fileRows for each data row, its row number in the source file as the user counts them
     *                 (header = 1), so errors can point at the line in their editor
     */
    Table(List<String> columnNames, List<Column> columns, int[] fileRows, String sha256) {
        if (columnNames.size() != columns.size()) throw new IllegalArgumentException("one name per column");
        for (Column c : columns) {
            if (c.size() != fileRows.length) throw new IllegalArgumentException("columns must have equal length");
        }
        this.columnNames = List.copyOf(columnNames);
        this.columns = List.copyOf(columns);
        this.fileRows = fileRows;
        this.sha256 = sha256;
    }

    public List<String> columnNames() { return columnNames; }

    public int rowCount() { return fileRows.length; }

    public int columnIndex(String name) {
        int index = columnNames.indexOf(name);
        if (index < 0) throw new IllegalArgumentException("no column '" + name + "'; columns are " + columnNames);
        return index;
    }

    public ColumnType type(int col) {
        return columns.get(col) instanceof Column.Numbers ? ColumnType.NUMERIC : ColumnType.STRING;
    }

    /** Values of a NUMERIC column as float32, NaN where missing. */
    public float[] numeric(int col) {
        if (columns.get(col) instanceof Column.Numbers n) return n.values().clone();
        throw new IllegalStateException("column '" + columnNames.get(col) + "' is STRING, not NUMERIC");
    }

    /**
     * Values of any column as trimmed text, null where missing. Numeric columns keep no text, so their
     * values are printed back (integers without ".0"): "1.50" reads back as "1.5".
     */
    public String[] text(int col) {
        if (columns.get(col) instanceof Column.Texts t) return t.values().clone();
        String[] out = new String[rowCount()];
        for (int r = 0; r < out.length; r++) out[r] = cell(col, r);
        return out;
    }

    /** Whether a cell is missing, without turning numbers into text. */
    boolean isMissing(int col, int row) {
        if (columns.get(col) instanceof Column.Texts t) return t.values()[row] == null;
        return Float.isNaN(((Column.Numbers) columns.get(col)).values()[row]);
    }

    /** Row number in the source file (header = 1) of data row {@code row} (0-based). */
    public long fileRow(int row) {
        return fileRows[row];
    }

    /** Type and statistics per column; computed on first use (sorting every numeric column costs time). */
    public List<ColumnStats> schema() {
        List<ColumnStats> computed = schema;
        if (computed == null) {
            List<ColumnStats> stats = new ArrayList<>(columns.size());
            for (int c = 0; c < columns.size(); c++) stats.add(ColumnStatistics.of(columnNames.get(c), columns.get(c)));
            computed = List.copyOf(stats);
            schema = computed;
        }
        return computed;
    }

    /** Hex SHA-256 of the bytes read (the file as uploaded, compressed or not). */
    public String sha256() { return sha256; }

    /** The first {@code limit} rows as text, null where missing. */
    public List<List<String>> preview(int limit) {
        int rows = Math.min(Math.max(limit, 0), rowCount());
        List<List<String>> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            String[] cells = new String[columns.size()];
            for (int c = 0; c < columns.size(); c++) cells[c] = cell(c, r);
            out.add(Collections.unmodifiableList(Arrays.asList(cells)));
        }
        return Collections.unmodifiableList(out);
    }

    private String cell(int col, int row) {
        if (columns.get(col) instanceof Column.Texts t) return t.values()[row];
        float value = ((Column.Numbers) columns.get(col)).values()[row];
        return Float.isNaN(value) ? null : Numbers.format(value);
    }
}
