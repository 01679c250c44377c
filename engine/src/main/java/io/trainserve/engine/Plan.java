package io.trainserve.engine;

import io.trainserve.engine.spec.AnomalySpec;
import io.trainserve.engine.spec.Loss;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.TrainingSpec;

/**
 * A training run without its data: what {@link Trainer#check} checks against a {@link DataDescription}.
 * Violations name the job spec's parts ({@code model.*}, {@code training.*}, {@code preprocessing.*})
 * and, for what is not a spec part, this record's component names: {@code validationSplit},
 * {@code baseModel}, {@code freezeLayers}, and {@code train} for the training data; the feature selection
 * carried in {@link PreprocessingSpec} is named {@code features} / {@code exclude}, as the job spec's top level has it.
 *
 * @param model          the network; null when fine-tuning with the base model's architecture
 * @param validationData true when a separate validation set is given
 * @param baseModel      start from this model, or null
 * @param freezeLayers   with a base model: the first k layers keep their weights
 * @param task           null (the task follows from the loss) or {@code "anomaly"} (an autoencoder, no target)
 * @param anomaly        with task anomaly: how the threshold is set (null: the default quantile)
 */
public record Plan(ModelSpec model, TrainingSpec training, PreprocessingSpec preprocessing, Double validationSplit,
                   boolean validationData, Model baseModel, int freezeLayers, String task, AnomalySpec anomaly) {

    public Plan(ModelSpec model, TrainingSpec training, PreprocessingSpec preprocessing, Double validationSplit,
                boolean validationData, Model baseModel, int freezeLayers) {
        this(model, training, preprocessing, validationSplit, validationData, baseModel, freezeLayers, null, null);
    }

    /** Anomaly detection: an autoencoder trained to reconstruct its input, with no target. */
    public boolean reconstructs() {
        return AnomalySpec.TASK.equals(task);
    }

    /** The architecture that will be trained: the plan's, else the base model's. */
    public ModelSpec effectiveModel() {
        return model != null ? model : baseModel != null ? baseModel.spec() : null;
    }

    /** The one answer to "is this classification?": from the task of the loss that will be trained. */
    public boolean predictsClasses() {
        ModelSpec m = effectiveModel();
        return Loss.predictsClasses(m == null ? null : m.loss());
    }

    /** True when the loss is binary_crossentropy: two classes, several 0/1 labels, or values in [0, 1]. */
    public boolean binaryCrossEntropy() {
        ModelSpec m = effectiveModel();
        return Loss.parse(m == null ? null : m.loss()).map(l -> l == Loss.BINARY_CROSSENTROPY).orElse(false);
    }

    public boolean withValidation() {
        return validationSplit != null || validationData;
    }
}
