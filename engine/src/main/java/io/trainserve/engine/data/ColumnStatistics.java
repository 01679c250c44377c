package io.trainserve.engine.data;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/** Computes {@link ColumnStats} without boxing numeric cells: distinct values come from a sorted copy. */
final class ColumnStatistics {
    static final int MAX_LISTED_TEXTS = 100;
    static final int MAX_LISTED_NUMBERS = 20;

    private ColumnStatistics() {}

    static ColumnStats of(String name, Column column) {
        if (column instanceof Column.Numbers n) return numeric(name, n.values());
        return text(name, ((Column.Texts) column).values());
    }

    private static ColumnStats numeric(String name, float[] values) {
        float[] present = new float[values.length];
        int count = 0;
        double sum = 0;
        for (float v : values) {
            if (Float.isNaN(v)) continue;
            present[count++] = v;
            sum += v;
        }
        long missing = values.length - count;
        if (count == 0) {
            return new ColumnStats(name, ColumnType.NUMERIC, 0, missing, null, null, null, null, 0, List.of());
        }
        double mean = sum / count;
        double squares = 0;
        for (int i = 0; i < count; i++) {
            double d = present[i] - mean;
            squares += d * d;
        }
        double std = Math.sqrt(squares / count);
        Arrays.sort(present, 0, count);
        long distinctCount = 1;
        for (int i = 1; i < count; i++) if (present[i] != present[i - 1]) distinctCount++;
        List<String> distinct = distinctCount <= MAX_LISTED_NUMBERS ? listDistinct(present, count) : List.of();
        return new ColumnStats(name, ColumnType.NUMERIC, count, missing,
                Numbers.asDecimal(present[0]), Numbers.asDecimal(present[count - 1]),
                Numbers.asDecimal(mean), Numbers.asDecimal(std), distinctCount, distinct);
    }

    private static List<String> listDistinct(float[] sorted, int count) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) out.add(Numbers.format(sorted[i]));
        }
        return out;
    }

    private static ColumnStats text(String name, String[] values) {
        TreeSet<String> distinct = new TreeSet<>();
        long missing = 0;
        for (String v : values) {
            if (v == null) missing++;
            else distinct.add(v);
        }
        List<String> listed = distinct.stream().limit(MAX_LISTED_TEXTS).toList();
        return new ColumnStats(name, ColumnType.STRING, values.length - missing, missing,
                null, null, null, null, distinct.size(), listed);
    }
}
