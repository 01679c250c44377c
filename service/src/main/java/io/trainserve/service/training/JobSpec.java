package io.trainserve.service.training;

import io.trainserve.engine.spec.AnomalySpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.TargetSpec;
import io.trainserve.engine.spec.TrainingSpec;
import java.util.List;

/**
 * The body of {@code POST /jobs}, in the vocabulary of DESIGN.md (Keras names, camelCase keys).
 * {@code model}, {@code training}, {@code preprocessing} and {@code anomaly} are the engine's own spec records;
 * {@code task} is null (the task follows from the loss) or {@code "anomaly"} (an autoencoder, no target).
 *
 * @param target   one column, or a list of 0/1 columns (multi-label)
 * @param features use only these columns as features (also accepted as {@code preprocessing.features})
 * @param exclude  use every column but the target and these (also accepted as {@code preprocessing.exclude})
 */
public record JobSpec(String modelId, String datasetId, TargetSpec target, List<String> features, List<String> exclude,
                      Validation validation, Test test, PreprocessingSpec preprocessing, ModelSpec model, TrainingSpec training,
                      BaseModel baseModel, String task, AnomalySpec anomaly) {

    /** A job with a one-column target, no top-level feature selection and no task. */
    public JobSpec(String modelId, String datasetId, String target, Validation validation, Test test,
                   PreprocessingSpec preprocessing, ModelSpec model, TrainingSpec training, BaseModel baseModel) {
        this(modelId, datasetId, target == null ? null : TargetSpec.column(target), null, null, validation, test, preprocessing,
                model, training, baseModel, null, null);
    }

    /** Either a fraction of the training rows ({@code split}) or a separate dataset. */
    public record Validation(Double split, String datasetId) {
    }

    public record Test(String datasetId) {
    }

    /** Start from version {@code version} of {@code modelId}; the first {@code freezeLayers} layers keep their weights. */
    public record BaseModel(String modelId, Integer version, Integer freezeLayers) {
    }
}
