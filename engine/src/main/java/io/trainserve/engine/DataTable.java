package io.trainserve.engine;

import io.trainserve.engine.spec.PreprocessingSpec;

import java.util.List;

/**
 * A CSV file as the engine read it ({@link DataFiles#readCsv}): typed columns with their statistics,
 * and the rows, turned into {@link Dataset}s for training or for a trained model. Immutable.
 */
public interface DataTable {
    List<String> columnNames();

    int rowCount();

    /** Hex SHA-256 of the file's bytes. */
    String sha256();

    /** The first {@code limit} rows as the file has them (null for a missing value). */
    List<List<String>> preview(int limit);

    /** Every column's statistics, in file order. */
    List<ColumnStats> columnStats();

    /** What the table holds, without its rows: kept at upload so a plan is checked without reading the file again. */
    DatasetDescription describe();

    /**
     * A training set: the columns {@code preprocessing.features} / {@code exclude} select (default: every
     * column but the target) are the features; text columns become categorical (one-hot). Violations name
     * {@code target} and {@code preprocessing.*}.
     *
     * @param classification true: class labels; false: the target must be a numeric column (regression)
     */
    Dataset training(String target, boolean classification, PreprocessingSpec preprocessing);

    /**
     * A training set for an autoencoder ({@code "task": "anomaly"}): no target column; the selected columns
     * are encoded as in {@link #training}, and the target is a {@link Target.Reconstruction} of them.
     */
    Dataset unlabelled(PreprocessingSpec preprocessing);

    /**
     * A multi-label training set: the 0/1 columns {@code targets} are the labels (in that order), the
     * features are chosen as in {@link #training}. A value other than 0 or 1 is refused naming {@code target}.
     */
    Dataset multiLabel(List<String> targets, PreprocessingSpec preprocessing);

    /**
     * The rows encoded like a training set already made (same feature columns and categories, same class
     * names), e.g. a validation or test set, or new data for a trained model. When the table lacks one of
     * the schema's columns the violation names {@code dataset}.
     *
     * @param trainTarget   the training set's target (class names, or a regression); only its kind and names count
     * @param missingPolicy {@code preprocessing.missing} (null: missing values are refused)
     */
    Dataset like(String target, InputSchema schema, Target trainTarget, String missingPolicy);

    /**
     * What a column holds, shown to the user after upload.
     *
     * @param type          {@code NUMERIC} or {@code STRING}
     * @param count         present (non-missing) values
     * @param min           null for STRING columns (as are max, mean and std)
     * @param std           population standard deviation
     * @param distinct      sorted distinct values: for STRING columns the first 100; for NUMERIC columns
     *                      all of them when there are at most 20, else empty
     */
    record ColumnStats(String name, String type, long count, long missing, Double min, Double max, Double mean, Double std,
                       long distinctCount, List<String> distinct) {
    }
}
