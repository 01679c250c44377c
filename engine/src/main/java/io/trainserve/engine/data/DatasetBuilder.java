package io.trainserve.engine.data;

import io.trainserve.engine.Dataset;
import io.trainserve.engine.InputSchema;
import io.trainserve.engine.InputSchema.Feature;
import io.trainserve.engine.InputSchema.Kind;
import io.trainserve.engine.Target;
import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.Violation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Turns a parsed {@link Table} or {@link ImageSet} into a {@link Dataset}. A training set decides the
 * encoding (feature order, categories, class names); validation, test and fine-tuning sets are then
 * encoded with exactly that encoding, so column k means the same thing in every set.
 */
public final class DatasetBuilder {
    private static final int MAX_LISTED = 20;

    private DatasetBuilder() {}

    /** {@link #training(Table, String, boolean, PreprocessingSpec)} with every column but the target as a feature. */
    public static Dataset fromTable(Table t, String targetColumn, boolean classification, String missingPolicy) {
        return training(t, targetColumn, classification, new PreprocessingSpec(null, missingPolicy));
    }

    /**
     * A training set: the columns {@code features} / {@code exclude} select (default:
     * every column but the target) are the features, in table order; text columns become categorical
     * (one-hot over their sorted distinct values) unless they look like identifiers, which is refused.
     * With an imputing {@code preprocessing.missing}, missing numbers stay NaN and missing categories
     * all-zero here: the fill is fitted on the training split by the trainer (see {@link Imputation}).
     *
     * @param classification true: class labels (sorted numerically when numbers, else by text);
     *                       false: the target must be a numeric column (regression)
     */
    public static Dataset training(Table t, String targetColumn, boolean classification, PreprocessingSpec preprocessing) {
        int target = targetIndex(t, targetColumn);
        if (t.columnNames().size() == 1) {
            throw new InvalidSpecException("target", "\"" + targetColumn + "\"",
                    "a column other than the dataset's only column; the other columns become the features");
        }
        return training(t, new int[]{target}, preprocessing,
                rows -> classification ? trainingClasses(t, target, rows) : trainingValues(t, target, rows));
    }

    /**
     * A training set for an autoencoder ({@code "task": "anomaly"}): no target column; the selected
     * columns are encoded as in {@link #training(Table, String, boolean, PreprocessingSpec)}, and the
     * target is a {@link Target.Reconstruction} of them.
     */
    public static Dataset unlabelled(Table t, PreprocessingSpec preprocessing) {
        return training(t, new int[0], preprocessing, rows -> Target.reconstruction());
    }

    /**
     * A multi-label training set: the 0/1 columns {@code targetColumns} are the labels (in that order),
     * the features are chosen as in {@link #training(Table, String, boolean, PreprocessingSpec)}.
     */
    public static Dataset multiLabel(Table t, List<String> targetColumns, PreprocessingSpec preprocessing) {
        int[] targets = targetColumns.stream().mapToInt(c -> targetIndex(t, c)).toArray();
        if (targets.length == 0 || targets.length >= t.columnNames().size()) {
            throw new InvalidSpecException("target", String.valueOf(targetColumns), "one or more 0/1 columns, leaving at least one feature column");
        }
        return training(t, targets, preprocessing, rows -> labels(t, targets, rows, Target.labels(targetColumns)));
    }

    /** @param targets the target columns' indices; none for an autoencoder's rows */
    private static Dataset training(Table t, int[] targets, PreprocessingSpec preprocessing, java.util.function.Function<int[], Target> target) {
        MissingPolicy policy = MissingPolicy.parse(preprocessing == null ? null : preprocessing.missing());
        List<Violation> v = new ArrayList<>();
        List<String> targetNames = Arrays.stream(targets).mapToObj(c -> t.columnNames().get(c)).toList();
        List<String> selected = FeatureColumns.select(t.columnNames(), targetNames, preprocessing, v);
        if (!v.isEmpty()) throw new InvalidSpecException(v);
        int[] featureColumns = selected.stream().mapToInt(t::columnIndex).toArray();
        int[] rows = completeRows(t, policy.imputes() ? new int[0] : featureColumns, targets, policy);
        List<Feature> features = new ArrayList<>();
        for (int c : featureColumns) {
            String name = t.columnNames().get(c);
            if (t.type(c) == ColumnType.NUMERIC) {
                features.add(new Feature(name, Kind.NUMERIC, List.of()));
                continue;
            }
            List<String> categories = sortedDistinct(t.text(c), rows);
            FeatureColumns.checkNotIdentifier(name, categories.size(), Arrays.stream(rows).filter(r -> !t.isMissing(c, r)).count(), preprocessing, v);
            features.add(new Feature(name, Kind.CATEGORICAL, categories));
        }
        if (!v.isEmpty()) throw new InvalidSpecException(v);
        InputSchema schema = new InputSchema(List.copyOf(features), null);
        float[] x = encodeFeatures(t, featureColumns, schema, rows);
        return new Dataset(x, rows.length, schema, target.apply(rows), t.sha256());
    }

    /**
     * A validation, test or fine-tuning set, encoded like the training set that produced {@code schema}
     * and {@code trainTarget}. Extra columns are ignored.
     *
     * @param targetColumn null means the training target's column name
     */
    public static Dataset fromTable(Table t, String targetColumn, InputSchema schema, Target trainTarget, String missingPolicy) {
        MissingPolicy policy = MissingPolicy.parse(missingPolicy);
        if (schema.isImage()) {
            throw new InvalidSpecException("dataset", "a table with columns " + t.columnNames(), "images, like the training set");
        }
        boolean unlabelled = trainTarget instanceof Target.Reconstruction && targetColumn == null;
        int[] targets = unlabelled ? new int[0]
                : trainTarget instanceof Target.Labels l ? l.columns().stream().mapToInt(c -> targetIndex(t, c)).toArray()
                : new int[]{targetIndex(t, targetColumn == null ? trainTarget.column() : targetColumn)};
        int target = unlabelled ? -1 : targets[0];
        int[] featureColumns = new int[schema.features().size()];
        for (int k = 0; k < featureColumns.length; k++) {
            String name = schema.features().get(k).name();
            if (!t.columnNames().contains(name)) {
                throw new InvalidSpecException("dataset", "a dataset without column '" + name + "' (columns " + t.columnNames() + ")",
                        "a dataset with the training features " + schema.features().stream().map(Feature::name).toList());
            }
            featureColumns[k] = t.columnIndex(name);
        }
        int[] required = IntStream.range(0, featureColumns.length)
                .filter(k -> !policy.imputes() && schema.features().get(k).fill() == null).map(k -> featureColumns[k]).toArray();
        int[] rows = completeRows(t, required, targets, policy);
        float[] x = encodeFeatures(t, featureColumns, schema, rows);
        Target y = unlabelled ? trainTarget
                : trainTarget instanceof Target.Classes classes ? mapClasses(t, target, rows, classes)
                : trainTarget instanceof Target.Labels l ? labels(t, targets, rows, l)
                : new Target.Values(t.columnNames().get(target), numbers(t, target, rows));
        return new Dataset(x, rows.length, schema, y, t.sha256());
    }

    /** Pixels 0..255 as floats (scaling is fitted later), channels first; the class names are {@link ImageSet#classes()}. */
    public static Dataset fromImages(ImageSet s) {
        List<String> classNames = s.classes();
        Map<String, Integer> index = indexOf(classNames);
        int[] indices = new int[s.count()];
        for (int i = 0; i < indices.length; i++) indices[i] = index.get(s.className(i));
        return images(s, new Target.Classes("label", indices, classNames));
    }

    /** Images labelled with the training set's class names (a test set may lack some classes, but not add any). */
    public static Dataset fromImages(ImageSet s, Target.Classes trainTarget) {
        Map<String, Integer> index = indexOf(trainTarget.classNames());
        int[] indices = new int[s.count()];
        for (int i = 0; i < indices.length; i++) {
            Integer k = index.get(s.className(i));
            if (k == null) {
                String allowed = "one of the training classes " + listed(trainTarget.classNames());
                throw new DataFormatException("image " + (i + 1) + " of " + s.count() + ": expected " + allowed
                        + ", found label " + s.className(i), -1, trainTarget.column(), allowed, s.className(i));
            }
            indices[i] = k;
        }
        return images(s, new Target.Classes(trainTarget.column(), indices, trainTarget.classNames()));
    }

    private static Dataset images(ImageSet s, Target target) {
        byte[] pixels = s.pixels();
        float[] x = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) x[i] = pixels[i] & 0xFF;
        return new Dataset(x, s.count(), InputSchema.image(s.channels(), s.rows(), s.cols()), target, s.sha256());
    }

    private static int targetIndex(Table t, String name) {
        if (name == null || !t.columnNames().contains(name)) {
            throw new InvalidSpecException("target", name == null ? "nothing" : "\"" + name + "\"", "one of " + t.columnNames());
        }
        return t.columnIndex(name);
    }

    /** Rows (0-based) with a value in every feature and the target column, or the error the policy asks for. */
    private static int[] completeRows(Table t, int[] featureColumns, int[] targets, MissingPolicy policy) {
        int[] columns = Arrays.copyOf(featureColumns, featureColumns.length + targets.length);
        System.arraycopy(targets, 0, columns, featureColumns.length, targets.length);
        boolean[] missing = new boolean[t.rowCount()];
        long missingCells = 0;
        long firstRow = Long.MAX_VALUE;
        String firstColumn = null;
        for (int c : columns) {
            for (int r = 0; r < t.rowCount(); r++) {
                if (!t.isMissing(c, r)) continue;
                missing[r] = true;
                missingCells++;
                if (t.fileRow(r) < firstRow) {
                    firstRow = t.fileRow(r);
                    firstColumn = t.columnNames().get(c);
                }
            }
        }
        if (missingCells > 0 && policy == MissingPolicy.ERROR) {
            throw new DataFormatException(DataFormatException.location(firstRow, firstColumn)
                    + "expected a value, found a missing value (" + missingCells + " missing "
                    + (missingCells == 1 ? "value" : "values") + " in the feature and target columns;"
                    + " set preprocessing.missing to \"drop\" to drop incomplete rows or \"impute\" to fill missing features)",
                    firstRow, firstColumn, "a value", "a missing value");
        }
        int[] rows = IntStream.range(0, t.rowCount()).filter(r -> !missing[r]).toArray();
        if (rows.length == 0) {
            throw new DataFormatException("all " + t.rowCount() + " rows miss a feature or target value; none remain after dropping them",
                    -1, null, "at least one complete row", "none");
        }
        return rows;
    }

    private static float[] encodeFeatures(Table t, int[] columns, InputSchema schema, int[] rows) {
        int width = schema.width();
        float[] x = new float[rows.length * width];
        int offset = 0;
        for (int k = 0; k < columns.length; k++) {
            Feature feature = schema.features().get(k);
            int col = columns[k];
            if (feature.kind() == Kind.NUMERIC) {
                float[] values = numbers(t, col, rows);
                float fill = feature.fill() == null ? Float.NaN : Float.parseFloat(feature.fill());
                for (int r = 0; r < rows.length; r++) x[r * width + offset] = Float.isNaN(values[r]) ? fill : values[r];
            } else {
                Map<String, Integer> index = indexOf(feature.categories());
                String[] text = t.text(col);
                for (int r = 0; r < rows.length; r++) {
                    String value = text[rows[r]] == null ? feature.fill() : text[rows[r]];
                    if (value == null) continue; // imputed later from the training split: all-zero until then
                    Integer category = index.get(value);
                    if (category == null) {
                        throw new DataFormatException(t.fileRow(rows[r]), feature.name(),
                                "one of the training categories " + listed(feature.categories()), "'" + value + "'");
                    }
                    x[r * width + offset + category] = 1f;
                }
            }
            offset += feature.width();
        }
        return x;
    }

    /** A numeric column's values at {@code rows}; for a text column, the error at its first non-number. */
    private static float[] numbers(Table t, int col, int[] rows) {
        if (t.type(col) != ColumnType.NUMERIC) {
            String[] text = t.text(col);
            for (int r : rows) {
                if (text[r] != null && Float.isNaN(Numbers.parse(text[r]))) {
                    throw new DataFormatException(t.fileRow(r), t.columnNames().get(col), "a number", "'" + text[r] + "'");
                }
            }
        }
        float[] all = t.numeric(col);
        float[] picked = new float[rows.length];
        for (int i = 0; i < rows.length; i++) picked[i] = all[rows[i]];
        return picked;
    }

    private static Target trainingValues(Table t, int target, int[] rows) {
        String name = t.columnNames().get(target);
        if (t.type(target) != ColumnType.NUMERIC) {
            String example = firstNonNumber(t.text(target), rows);
            throw new InvalidSpecException("target", "column '" + name + "' with text values such as '" + example + "'",
                    "a numeric column for a real-valued target (loss mse or mae); use a classification loss for text labels");
        }
        return new Target.Values(name, numbers(t, target, rows));
    }

    /** The 0/1 label columns {@code targets} at {@code rows}, row-major; any other value is refused naming the column. */
    private static Target.Labels labels(Table t, int[] targets, int[] rows, Target.Labels names) {
        int k = targets.length;
        float[] y = new float[rows.length * k];
        for (int j = 0; j < k; j++) {
            String name = t.columnNames().get(targets[j]);
            String[] text = t.type(targets[j]) == ColumnType.NUMERIC ? null : t.text(targets[j]);
            float[] v = text == null ? numbers(t, targets[j], rows) : null;
            for (int i = 0; i < rows.length; i++) {
                float value = v != null ? v[i] : Numbers.parse(text[rows[i]]);
                if (value != 0f && value != 1f) {
                    String given = v != null ? Numbers.format(value) : "'" + text[rows[i]] + "'";
                    throw new InvalidSpecException("target", "column '" + name + "' with the value " + given + " (row "
                            + t.fileRow(rows[i]) + ")", "label columns holding only 0 or 1 (multi-label: one sigmoid unit per column)");
                }
                y[i * k + j] = value;
            }
        }
        return new Target.Labels(names.columns(), y);
    }

    private static Target.Classes trainingClasses(Table t, int target, int[] rows) {
        String name = t.columnNames().get(target);
        List<String> classNames;
        if (t.type(target) == ColumnType.NUMERIC) {
            float[] values = numbers(t, target, rows);
            for (float v : values) {
                if (v != Math.rint(v)) {
                    throw new InvalidSpecException("target", "column '" + name + "' with non-integer values such as " + Numbers.format(v),
                            "class labels (integers or text); use loss mse or mae for real-valued targets");
                }
            }
            float[] sorted = values.clone();
            Arrays.sort(sorted);
            classNames = new ArrayList<>();
            for (int i = 0; i < sorted.length; i++) {
                if (i == 0 || sorted[i] != sorted[i - 1]) classNames.add(Numbers.format(sorted[i]));
            }
        } else {
            classNames = sortedDistinct(t.text(target), rows);
        }
        return mapClasses(t, target, rows, new Target.Classes(name, new int[0], List.copyOf(classNames)));
    }

    private static Target.Classes mapClasses(Table t, int target, int[] rows, Target.Classes classes) {
        Map<String, Integer> index = indexOf(classes.classNames());
        String[] labels = t.text(target);
        int[] indices = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            Integer k = index.get(labels[rows[i]]);
            if (k == null) {
                throw new DataFormatException(t.fileRow(rows[i]), t.columnNames().get(target),
                        "one of the training classes " + listed(classes.classNames()), "'" + labels[rows[i]] + "'");
            }
            indices[i] = k;
        }
        return new Target.Classes(t.columnNames().get(target), indices, classes.classNames());
    }

    private static String firstNonNumber(String[] text, int[] rows) {
        for (int r : rows) if (Float.isNaN(Numbers.parse(text[r]))) return text[r];
        return "";
    }

    private static List<String> sortedDistinct(String[] text, int[] rows) {
        TreeSet<String> distinct = new TreeSet<>();
        for (int r : rows) if (text[r] != null) distinct.add(text[r]);
        return List.copyOf(distinct);
    }

    private static Map<String, Integer> indexOf(List<String> names) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) index.put(names.get(i), i);
        return index;
    }

    /** A list for an error message, cut short when long. */
    static String listed(List<String> values) {
        if (values.size() <= MAX_LISTED) return values.toString();
        return values.subList(0, MAX_LISTED).toString().replaceFirst("]$", ", … (" + values.size() + " in all)]");
    }
}
