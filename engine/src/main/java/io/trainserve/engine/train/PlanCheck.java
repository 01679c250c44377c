package io.trainserve.engine.train;

import io.trainserve.engine.DataDescription;
import io.trainserve.engine.DatasetDescription;
import io.trainserve.engine.InputSchema;
import io.trainserve.engine.TokenIds;
import io.trainserve.engine.Model;
import io.trainserve.engine.Plan;
import io.trainserve.engine.Target;
import io.trainserve.engine.Trainer;
import io.trainserve.engine.data.MissingPolicy;
import io.trainserve.engine.nn.NetworkBuilder;
import io.trainserve.engine.nn.Shape;
import io.trainserve.engine.spec.AnomalySpec;
import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.engine.spec.KerasDefaults;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.ScalingKind;
import io.trainserve.engine.spec.TrainingSpec;
import io.trainserve.engine.spec.TargetSpec;
import io.trainserve.engine.spec.Violation;
import io.trainserve.engine.spec.Vocabulary;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one check of a training plan against a description of its data (see {@code Trainer.check}):
 * the network against the input shape and target, the training values and callbacks against the
 * metrics this run will produce, scaling, missing values, validation split and base model.
 */
public final class PlanCheck {
    private PlanCheck() {
    }

    /** @param data the training data, or null when it cannot be described (then only what needs no data is checked) */
    public static List<Violation> violations(Plan plan, DataDescription data) {
        List<Violation> v = new ArrayList<>();
        if (data != null && data.rows() == 0) v.add(new Violation("train", "a dataset with no rows", "a dataset with at least one row"));
        ModelSpec spec = plan.effectiveModel();
        if (spec == null) v.add(new Violation("model", "none", "a model {layers, loss}, or a baseModel to start from"));
        else if (data != null && inputShapeFits(spec, data, v)) {
            // task anomaly checks the network as an autoencoder even when the data names a target (reported below)
            Target target = plan.reconstructs() ? Target.reconstruction() : data.target();
            v.addAll(NetworkBuilder.validate(spec, Shape.of(data.input(), spec), target));
        }

        TrainingSpec ts = plan.training() != null ? plan.training() : new TrainingSpec(null, null, null, null, null, null, null, null, null);
        Target target = data == null ? null : data.target();
        boolean classes = target != null ? target instanceof Target.Classes : plan.predictsClasses();
        v.addAll(ResolvedTraining.of(ts).violations(plan.reconstructs() ? reconstructionMetrics(plan.withValidation())
                : target instanceof Target.Labels labels ? labelMetricNames(labels, plan.withValidation())
                : metricNames(classes, sigmoidOutput(spec), plan.withValidation())));
        checkTask(plan, data, v);

        if (ts.classWeight() != null && !"balanced".equals(ts.classWeight())) {
            v.add(new Violation("training.classWeight", "\"" + ts.classWeight() + "\"", "\"balanced\" or nothing"));
        } else if (ts.classWeight() != null && target instanceof Target.Labels) {
            v.add(new Violation("training.classWeight", "\"balanced\"", "nothing for a multi-label target (class weights need one class per row)"));
        } else if (ts.classWeight() != null && !classes) {
            v.add(new Violation("training.classWeight", "\"balanced\"", "nothing for a regression (class weights need a classification loss)"));
        }
        if (plan.validationSplit() != null) {
            double split = plan.validationSplit();
            if (!(split > 0 && split < 1)) v.add(new Violation("validationSplit", String.valueOf(split), "a fraction strictly between 0 and 1, e.g. 0.1"));
        }
        PreprocessingSpec pre = plan.preprocessing();
        if (pre != null) {
            Violation scaling = Vocabulary.unknown(ScalingKind.class, "preprocessing.scaling", pre.scaling());
            if (scaling != null) v.add(scaling);
            try {
                MissingPolicy.parse(pre.missing());
            } catch (InvalidSpecException e) {
                v.addAll(e.violations());
            }
        }
        if (data != null) checkTokenInput(spec, data, pre, v);
        if (plan.baseModel() != null && data != null) checkBase(plan, data, spec, v);
        return v;
    }

    /**
     * {@link #violations(Plan, DataDescription)} for a stored dataset with {@code targetSpec} as its target
     * (one column, or a list of 0/1 columns for multi-label; null for an image dataset's labels): what is wrong
     * with the target (or missing values) comes first, then everything else that can still be checked.
     */
    public static List<Violation> violations(Plan plan, DatasetDescription data, TargetSpec targetSpec) {
        String target = targetSpec == null ? null : targetSpec.single();
        if (plan.reconstructs()) {
            return anomalyViolations(plan, data, targetSpec == null ? null : targetSpec.multiLabel() ? targetSpec.columns().toString() : target);
        }
        DataDescription described;
        try {
            described = targetSpec != null && targetSpec.multiLabel() ? DescribedData.forLabels(data, targetSpec.columns(), plan.preprocessing())
                    : DescribedData.forJob(data, target, Trainer.predictsClasses(plan, data, target), plan.preprocessing());
        } catch (InvalidSpecException e) {
            List<Violation> v = new ArrayList<>(e.violations());
            violations(plan, null).stream().filter(x -> !v.contains(x)).forEach(v::add);
            return v;
        }
        List<Violation> v = new ArrayList<>();
        if (!described.target().classification() && sigmoidOutput(plan.effectiveModel())) {
            Violation range = data.outsideUnitInterval(target);
            if (range != null) v.add(range);
        }
        TokenIds tokens = TokenIds.of(plan.effectiveModel());
        if (tokens != null && !data.hasImages()) {
            v.addAll(tokens.columnViolations(data.columns(), described.input().features().stream().map(InputSchema.Feature::name).toList()));
        }
        v.addAll(violations(plan, described));
        return v;
    }

    /** Task anomaly on a stored dataset: no target; every selected column is reconstructed. */
    private static List<Violation> anomalyViolations(Plan plan, DatasetDescription data, String target) {
        List<Violation> v = new ArrayList<>();
        if (target != null) v.add(new Violation("target", "\"" + target + "\"", TARGET_FOR_ANOMALY));
        DataDescription described;
        try {
            described = DescribedData.forAnomaly(data, plan.preprocessing());
        } catch (InvalidSpecException e) {
            v.addAll(e.violations());
            violations(plan, null).stream().filter(x -> !v.contains(x)).forEach(v::add);
            return v;
        }
        TokenIds tokens = TokenIds.of(plan.effectiveModel());
        if (tokens != null) {
            v.addAll(tokens.columnViolations(data.columns(), described.input().features().stream().map(InputSchema.Feature::name).toList()));
        }
        v.addAll(violations(plan, described));
        return v;
    }

    /** {@code model.inputShape}, when given, is two sizes >= 1 whose product is the table's encoded width. */
    private static boolean inputShapeFits(ModelSpec spec, DataDescription data, List<Violation> v) {
        List<Integer> shape = spec.inputShape();
        if (shape == null) return true;
        int width = data.input().width();
        String allowed = "[timesteps, features], two integers >= 1 whose product is the input width " + width
                + " (each row's columns read time-major: t0f0, t0f1, ..., t1f0, ...)";
        if (data.input().isImage()) {
            v.add(new Violation("model.inputShape", String.valueOf(shape), "no inputShape for image data (its shape is "
                    + data.input().imageShape() + ")"));
            return false;
        }
        if (shape.size() != 2 || shape.stream().anyMatch(d -> d == null || d < 1) || (long) shape.get(0) * shape.get(1) != width) {
            v.add(new Violation("model.inputShape", String.valueOf(shape), allowed));
            return false;
        }
        return true;
    }

    /**
     * A model starting with an embedding reads each row's columns as token ids: numeric columns only (a
     * category would be one-hot encoded into 0/1 columns), and no scaling, which would turn ids into
     * fractions. Scaling is refused rather than skipped, so the spec says what happens.
     */
    private static void checkTokenInput(ModelSpec spec, DataDescription data, PreprocessingSpec pre, List<Violation> v) {
        TokenIds tokens = TokenIds.of(spec);
        if (tokens == null || data.input().isImage()) return;
        data.input().features().stream().filter(f -> f.kind() != InputSchema.Kind.NUMERIC).findFirst().ifPresent(f ->
                v.add(new Violation("train", "column '" + f.name() + "' with text values " + f.categories().subList(0, Math.min(5, f.categories().size())),
                        tokens.allowed() + " in every feature column; exclude the column (preprocessing.exclude) or map its words to ids")));
        String scaling = pre == null ? null : pre.scaling();
        if (scaling != null && !ScalingKind.NONE.wire().equals(scaling)) {
            v.add(new Violation("preprocessing.scaling", "\"" + scaling + "\"", "\"none\" or nothing: a model starting with an embedding "
                    + "reads token ids, which are never scaled"));
        }
    }

    /** The scaling a run uses: the spec's, else pixel scaling for images and none for tables. */
    static String scalingKind(PreprocessingSpec pre, DataDescription data) {
        if (pre != null && pre.scaling() != null) return pre.scaling();
        return (data.input().isImage() ? KerasDefaults.IMAGE_SCALING : KerasDefaults.TABLE_SCALING).wire();
    }

    public static boolean sigmoidOutput(ModelSpec spec) {
        if (spec == null || spec.layers() == null || spec.layers().isEmpty()) return false;
        LayerSpec last = spec.layers().get(spec.layers().size() - 1);
        return last != null && "sigmoid".equals(last.activation());
    }

    /** An autoencoder's epochs report its reconstruction loss (mse) only. */
    static Set<String> reconstructionMetrics(boolean withValidation) {
        return withValidation ? new LinkedHashSet<>(List.of("loss", "val_loss")) : new LinkedHashSet<>(List.of("loss"));
    }

    /** {@code task} and {@code anomaly}: only task anomaly is named, it has no target, and its threshold is a quantile or a fixed value. */
    private static void checkTask(Plan plan, DataDescription data, List<Violation> v) {
        if (plan.task() != null && !plan.reconstructs()) {
            v.add(new Violation("task", "\"" + plan.task() + "\"", "\"anomaly\" (an autoencoder trained on normal rows, no target) "
                    + "or nothing (classification or regression follows from model.loss)"));
        }
        AnomalySpec a = plan.anomaly();
        if (!plan.reconstructs()) {
            if (a != null && plan.task() == null) v.add(new Violation("anomaly", "an anomaly object", "nothing unless task is \"anomaly\""));
            if (data != null && data.target() instanceof Target.Reconstruction) {
                v.add(new Violation("task", "none", "\"anomaly\" for data without a target column"));
            }
            return;
        }
        if (data != null && !(data.target() instanceof Target.Reconstruction)) {
            v.add(new Violation("target", "\"" + data.target().column() + "\"", TARGET_FOR_ANOMALY));
        }
        if (a == null) return;
        if (a.quantile() != null && a.threshold() != null) {
            v.add(new Violation("anomaly", "both quantile " + a.quantile() + " and threshold " + a.threshold(),
                    "either anomaly.quantile (fitted on the training rows' errors) or anomaly.threshold (fixed), not both"));
        }
        if (a.quantile() != null && !(a.quantile() > 0 && a.quantile() < 1)) {
            v.add(new Violation("anomaly.quantile", String.valueOf(a.quantile()), "a fraction strictly between 0 and 1 (default "
                    + AnomalySpec.DEFAULT_QUANTILE + ")"));
        }
        if (a.threshold() != null && !(a.threshold() >= 0 && Double.isFinite(a.threshold()))) {
            v.add(new Violation("anomaly.threshold", String.valueOf(a.threshold()), "a finite reconstruction error >= 0"));
        }
    }

    /** What a job with task anomaly may say as its target. */
    public static final String TARGET_FOR_ANOMALY = "nothing: task anomaly trains an autoencoder that reconstructs the feature columns (no target column)";

    /** The metrics a run produces each epoch: what a callback may monitor. */
    static Set<String> metricNames(boolean classes, boolean sigmoidOutput, boolean withValidation) {
        Set<String> names = new LinkedHashSet<>();
        names.add("loss");
        if (classes) {
            names.add("accuracy");
        } else {
            names.add("mse");
            names.add("mae");
            if (sigmoidOutput) names.add("binary_accuracy");
        }
        if (withValidation) for (String n : List.copyOf(names)) names.add("val_" + n);
        return names;
    }

    /** Multi-label runs report the loss and binary accuracy, their mean and per label. */
    static Set<String> labelMetricNames(Target.Labels target, boolean withValidation) {
        Set<String> names = new LinkedHashSet<>(List.of("loss", "binary_accuracy"));
        for (String label : target.columns()) names.add("binary_accuracy_" + label);
        if (withValidation) for (String n : List.copyOf(names)) names.add("val_" + n);
        return names;
    }

    private static void checkBase(Plan plan, DataDescription data, ModelSpec spec, List<Violation> v) {
        Model base = plan.baseModel();
        if (base.inputSchema().width() != data.input().width()) {
            v.add(new Violation("baseModel", "a model taking " + base.inputSchema().width() + " features",
                    "a model taking the dataset's " + data.input().width() + " features"));
        }
        if (spec == null || spec.layers() == null) return;
        int layers = spec.layers().size();
        if (plan.freezeLayers() < 0 || plan.freezeLayers() >= layers) {
            v.add(new Violation("freezeLayers", String.valueOf(plan.freezeLayers()), "0 to " + (layers - 1) + " (the output layer always trains)"));
        }
    }
}
