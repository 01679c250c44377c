package io.trainserve.service.dataset;

import java.util.List;

/**
 * What other features may know about a stored dataset.
 *
 * @param columns column names (CSV) or {@code [label, pixels]} (IDX)
 * @param classes class names known at upload (IDX labels), else empty
 * @param shape   [rows, columns] for a table, [count, height, width] for images
 */
public record DatasetRef(String id, String name, Format format, long rows, List<String> columns, List<String> classes,
                         List<Integer> shape, String sha256) {
}
