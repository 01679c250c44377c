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
     * columns {@code preprocessing.features} / {@code exclude} select; text features that look like
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
        List<String> names = columns.stream().map(Column::name).toList();
        Column label = columns.stream().filter(c -> c.name().equals(target)).findFirst().orElse(null);
        if (label == null) throw new InvalidSpecException("target", target == null ? "none" : "\"" + target + "\"", "one of the dataset's columns " + names);
        if (columns.size() == 1) {
            throw new InvalidSpecException("target", "\"" + target + "\"", "a column other than the dataset's only column; the other columns become the features");
        }
        List<Violation> v = new ArrayList<>();
        InputSchema input = features(d, target, label.missing(), preprocessing, v);
        Target described = classes ? classes(label, v) : values(label, v);
        if (!v.isEmpty()) throw new InvalidSpecException(v);
        return new DataDescription(rows, input, described);
    }

    /**
     * The data as an autoencoder would see it ({@code "task": "anomaly"}): no target, the columns
     * {@code preprocessing.features} / {@code exclude} select are both its input and what it reconstructs.
     *
     * @throws InvalidSpecException naming {@code datasetId} for images, or the preprocessing field at fault
     */
    public static DataDescription forAnomaly(DatasetDescription d, PreprocessingSpec preprocessing) {
        if (d.hasImages()) {
            throw new InvalidSpecException("datasetId", "an image dataset", "a CSV dataset: task anomaly reconstructs table rows");
        }
        List<Violation> v = new ArrayList<>();
        InputSchema input = features(d, null, 0, preprocessing, v);
        if (!v.isEmpty()) throw new InvalidSpecException(v);
        return new DataDescription(d.rows(), input, Target.reconstruction());
    }

    /** The selected feature columns as an input schema, adding violations for identifiers and refused missing values. */
    private static InputSchema features(DatasetDescription d, String target, long targetMissing, PreprocessingSpec preprocessing, List<Violation> v) {
        String missingPolicy = preprocessing == null ? null : preprocessing.missing();
        List<String> names = d.columns().stream().map(Column::name).toList();
        List<Feature> features = new ArrayList<>();
        long missing = targetMissing;
        List<String> selected = FeatureColumns.select(names, target, preprocessing, v);
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
        return new InputSchema(List.copyOf(features), null);
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
