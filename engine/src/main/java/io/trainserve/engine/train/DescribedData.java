package io.trainserve.engine.train;

import io.trainserve.engine.DataDescription;
import io.trainserve.engine.DatasetDescription;
import io.trainserve.engine.DatasetDescription.Column;
import io.trainserve.engine.InputSchema;
import io.trainserve.engine.InputSchema.Feature;
import io.trainserve.engine.InputSchema.Kind;
import io.trainserve.engine.Target;
import io.trainserve.engine.data.FeatureColumns;
import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.Violation;

import java.util.ArrayList;
import java.util.List;

/**
 * A stored {@link DatasetDescription} as one job would see it: its target column, the feature columns
 * {@code preprocessing} selects, and whether missing values are allowed; so a plan is checked without reading the rows.
 */
public final class DescribedData {
    private DescribedData() {
    }

    /**
     * The data as a network would see it with {@code target} as the label column.
     *
     * @param classes       the target holds class labels (see {@link io.trainserve.engine.Plan#predictsClasses()}), else real values
     * @param missingPolicy {@code preprocessing.missing}: null or "error" refuses missing values, "drop" drops their rows
     * @throws InvalidSpecException naming {@code target} or {@code preprocessing.missing} when the data cannot serve
     */
    public static DataDescription forTarget(DatasetDescription d, String target, boolean classes, String missingPolicy) {
        return forJob(d, target, classes, new PreprocessingSpec(null, missingPolicy));
    }

    /**
     * The data as a network would see it with {@code target} as the label column and the feature
     * columns {@code features} / {@code exclude} select; text features that look like
     * identifiers are refused.
     */
    public static DataDescription forJob(DatasetDescription d, String target, boolean classes, PreprocessingSpec preprocessing) {
        int rows = d.rows();
        List<Column> columns = d.columns();
        List<Integer> imageShape = d.imageShape();
        List<String> labels = d.labels();
        if (d.hasImages()) {
            if (target != null && !"label".equals(target)) {
                throw new InvalidSpecException("target", "\"" + target + "\"", "\"label\" (or nothing) for an image dataset");
            }
            return new DataDescription(rows, InputSchema.image(imageShape.get(0), imageShape.get(1), imageShape.get(2)),
                    Target.classes("label", labels));
        }
        Column label = column(d, target);
        if (label == null) throw new InvalidSpecException("target", target == null ? "none" : "\"" + target + "\"", "one of the dataset's columns " + names(d));
        if (columns.size() == 1) {
            throw new InvalidSpecException("target", "\"" + target + "\"", "a column other than the dataset's only column; the other columns become the features");
        }
        List<Violation> v = new ArrayList<>();
        List<Feature> features = features(d, List.of(target), preprocessing, label.missing(), v);
        Target described = classes ? classes(label, v) : values(label, v);
        if (!v.isEmpty()) throw new InvalidSpecException(v);
        return new DataDescription(rows, new InputSchema(List.copyOf(features), null), described);
    }

    /**
     * The data as an autoencoder would see it ({@code "task": "anomaly"}): no target, the columns
     * {@code features} / {@code exclude} select are both its input and what it reconstructs.
     *
     * @throws InvalidSpecException naming {@code datasetId} for images, or the feature selection at fault
     */
    public static DataDescription forAnomaly(DatasetDescription d, PreprocessingSpec preprocessing) {
        if (d.hasImages()) {
            throw new InvalidSpecException("datasetId", "an image dataset", "a CSV dataset: task anomaly reconstructs table rows");
        }
        List<Violation> v = new ArrayList<>();
        List<Feature> features = features(d, List.of(), preprocessing, 0, v);
        if (!v.isEmpty()) throw new InvalidSpecException(v);
        return new DataDescription(d.rows(), new InputSchema(List.copyOf(features), null), Target.reconstruction());
    }

    /**
     * The data as a network would see it with the 0/1 columns {@code targets} as a multi-label target
     * (each column's values must be 0 or 1); the other columns are the features as in {@link #forJob}.
     *
     * @throws InvalidSpecException naming {@code target} (an unknown or non-0/1 column) or the feature selection
     */
    public static DataDescription forLabels(DatasetDescription d, List<String> targets, PreprocessingSpec preprocessing) {
        if (d.hasImages()) {
            throw new InvalidSpecException("target", String.valueOf(targets), "\"label\" (or nothing) for an image dataset; multi-label targets are table columns");
        }
        List<Violation> v = new ArrayList<>();
        if (targets.isEmpty()) v.add(new Violation("target", "[]", "a list of at least one 0/1 column of the dataset " + names(d)));
        if (targets.stream().distinct().count() < targets.size()) {
            v.add(new Violation("target", String.valueOf(targets), "each label column once"));
        }
        long missing = 0;
        for (String name : targets) {
            Column c = column(d, name);
            if (c == null) {
                v.add(new Violation("target", "\"" + name + "\"", "columns of the dataset " + names(d) + " holding 0 or 1"));
                continue;
            }
            missing += c.missing();
            String bad = notZeroOne(c);
            if (bad != null) {
                v.add(new Violation("target", "column '" + name + "' with the value " + bad,
                        "label columns holding only 0 or 1 (multi-label: one sigmoid unit per column)"));
            }
        }
        if (!v.isEmpty()) throw new InvalidSpecException(v);
        if (targets.size() >= d.columns().size()) {
            throw new InvalidSpecException("target", String.valueOf(targets), "label columns leaving at least one feature column");
        }
        List<Feature> features = features(d, targets, preprocessing, missing, v);
        if (!v.isEmpty()) throw new InvalidSpecException(v);
        return new DataDescription(d.rows(), new InputSchema(List.copyOf(features), null), Target.labels(targets));
    }

    /** The first value of {@code c} that is not 0 or 1, or null when there is none. */
    private static String notZeroOne(Column c) {
        if (c.values() != null) {
            return c.values().stream().filter(x -> !x.equals("0") && !x.equals("1")).findFirst().map(x -> c.numeric() ? x : "'" + x + "'").orElse(null);
        }
        if (c.min() != null && c.min() < 0) return String.valueOf(c.min());
        if (c.max() != null && c.max() > 1) return String.valueOf(c.max());
        return "(non-integer values" + (c.min() == null ? "" : " from " + c.min() + " to " + c.max()) + ")";
    }

    private static Column column(DatasetDescription d, String name) {
        return d.columns().stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    private static List<String> names(DatasetDescription d) {
        return d.columns().stream().map(Column::name).toList();
    }

    /** The feature columns selected next to {@code targets}; a violation when missing values are not handled. */
    private static List<Feature> features(DatasetDescription d, List<String> targets, PreprocessingSpec preprocessing, long targetMissing, List<Violation> v) {
        String missingPolicy = preprocessing == null ? null : preprocessing.missing();
        List<Feature> features = new ArrayList<>();
        long missing = targetMissing;
        List<String> selected = FeatureColumns.select(names(d), targets, preprocessing, v);
        for (Column c : d.columns()) {
            if (!selected.contains(c.name())) continue;
            missing += c.missing();
            if (!c.numeric()) FeatureColumns.checkNotIdentifier(c.name(), c.values().size(), d.rows() - c.missing(), preprocessing, v);
            features.add(c.numeric() ? new Feature(c.name(), Kind.NUMERIC, List.of()) : new Feature(c.name(), Kind.CATEGORICAL, c.values()));
        }
        if (missing > 0 && (missingPolicy == null || "error".equals(missingPolicy))) {
            v.add(new Violation("preprocessing.missing", missingPolicy == null ? "none (error)" : "\"error\"", "\"drop\" or \"impute\": the dataset misses "
                    + missing + (missing == 1 ? " value" : " values") + " in the feature and target columns"));
        }
        return features;
    }

    private static Target classes(Column label, List<Violation> v) {
        if (label.numeric() && !label.integral()) {
            v.add(new Violation("target", "column '" + label.name() + "' with non-integer values",
                    "class labels (integers or text); use loss mse or mae for real-valued targets (with a sigmoid output for values in [0, 1])"));
        } else if (label.values() == null) {
            v.add(new Violation("target", "column '" + label.name() + "' with more than " + DatasetDescription.MAX_VALUES + " distinct values",
                    "class labels (at most " + DatasetDescription.MAX_VALUES + " classes); use loss mse or mae for real-valued targets"));
        } else {
            return Target.classes(label.name(), label.values());
        }
        return Target.classes(label.name(), List.of());
    }

    private static Target values(Column label, List<Violation> v) {
        if (!label.numeric()) {
            v.add(new Violation("target", "column '" + label.name() + "' with text values",
                    "a numeric column for a real-valued target (loss mse or mae); use a classification loss for text labels"));
        }
        return Target.values(label.name());
    }
}
