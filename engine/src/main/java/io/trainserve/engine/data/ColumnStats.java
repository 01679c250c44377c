package io.trainserve.engine.data;

import java.util.List;

/**
 * What a column holds, shown to the user after upload.
 *
 * @param count         present (non-missing) values
 * @param min           null for STRING columns (as are max, mean and std)
 * @param std           population standard deviation; min, max, mean and std are shown at the float32
 *                      precision the values are held in (a column of 1.1s has mean 1.1, not 1.1000000238)
 * @param distinct      sorted distinct values: for STRING columns the first 100; for NUMERIC columns
 *                      all of them when there are at most 20 (integers without ".0"), else empty
 */
public record ColumnStats(String name, ColumnType type, long count, long missing,
                          Double min, Double max, Double mean, Double std,
                          long distinctCount, List<String> distinct) {
    public ColumnStats {
        distinct = List.copyOf(distinct);
    }
}
