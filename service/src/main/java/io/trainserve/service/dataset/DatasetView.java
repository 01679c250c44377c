package io.trainserve.service.dataset;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of a dataset (see api-spec: Dataset).
 *
 * @param classCounts images per class name, in the order of {@code classes}; null for tables
 */
record DatasetView(String id, String name, Format format, long rows, List<ColumnView> columns, List<Integer> shape,
                   List<String> classes, Map<String, Long> classCounts, long sizeBytes, String sha256, Instant createdAt) {

    /**
     * @param count    present values
     * @param distinct number of distinct values
     * @param values   sorted distinct values when few (text columns: the first 100), else empty
     */
    record ColumnView(String name, String type, long count, long missing, Double min, Double max, Double mean, Double std,
                      long distinct, List<String> values) {
    }
}
