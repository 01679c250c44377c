package io.trainserve.engine;

import io.trainserve.engine.spec.AnomalySpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.TrainingSpec;

/**
 * Everything a training run needs.
 *
 * @param train           training rows (a validation split is taken from them if {@code validationSplit} is set)
 * @param validation      a separate validation set, or null
 * @param validationSplit fraction of {@code train} held out for validation (stratified by class), or null
 * @param test            evaluated once at the end, or null
 * @param model           the network; may be null when fine-tuning (the base model's architecture is used)
 * @param baseModel       start from this model's weights (fine-tuning / continued training), or null
 * @param freezeLayers    with a base model: the first k layers keep their weights
 * @param resumeFrom      continue an interrupted run from its last epoch checkpoint, or null
 * @param task            null, or {@code "anomaly"}: train an autoencoder on {@code train} (whose target is a
 *                        {@link Target.Reconstruction}) and fit an anomaly threshold (see {@link Plan#task()})
 * @param anomaly         with task anomaly: the threshold's quantile or fixed value (null: the default quantile)
 */
public record TrainingRequest(Dataset train, Dataset validation, Double validationSplit, Dataset test,
                              PreprocessingSpec preprocessing, ModelSpec model, TrainingSpec training,
                              Model baseModel, int freezeLayers, Checkpoint resumeFrom, String task, AnomalySpec anomaly) {

    public TrainingRequest(Dataset train, Dataset validation, Double validationSplit, Dataset test,
                           PreprocessingSpec preprocessing, ModelSpec model, TrainingSpec training,
                           Model baseModel, int freezeLayers, Checkpoint resumeFrom) {
        this(train, validation, validationSplit, test, preprocessing, model, training, baseModel, freezeLayers, resumeFrom, null, null);
    }

    /** This request without its data, as {@link Trainer#check} sees it. */
    public Plan plan() {
        return new Plan(model, training, preprocessing, validationSplit, validation != null, baseModel, freezeLayers, task, anomaly);
    }

    /** An anomaly-detection run: {@code train}'s rows are the normal data an autoencoder learns to reconstruct. */
    public TrainingRequest forAnomalies(AnomalySpec a) {
        return new TrainingRequest(train, validation, validationSplit, test, preprocessing, model, training, baseModel, freezeLayers, resumeFrom,
                AnomalySpec.TASK, a);
    }

    public static TrainingRequest of(Dataset train, ModelSpec model, TrainingSpec training) {
        return new TrainingRequest(train, null, null, null, null, model, training, null, 0, null);
    }

    public TrainingRequest withValidationSplit(double split) {
        return new TrainingRequest(train, null, split, test, preprocessing, model, training, baseModel, freezeLayers, resumeFrom, task, anomaly);
    }

    public TrainingRequest withValidation(Dataset v) {
        return new TrainingRequest(train, v, null, test, preprocessing, model, training, baseModel, freezeLayers, resumeFrom, task, anomaly);
    }

    public TrainingRequest withTest(Dataset t) {
        return new TrainingRequest(train, validation, validationSplit, t, preprocessing, model, training, baseModel, freezeLayers, resumeFrom, task, anomaly);
    }

    public TrainingRequest withPreprocessing(PreprocessingSpec p) {
        return new TrainingRequest(train, validation, validationSplit, test, p, model, training, baseModel, freezeLayers, resumeFrom, task, anomaly);
    }

    public TrainingRequest withTraining(TrainingSpec t) {
        return new TrainingRequest(train, validation, validationSplit, test, preprocessing, model, t, baseModel, freezeLayers, resumeFrom, task, anomaly);
    }

    public TrainingRequest withBaseModel(Model base, int freeze) {
        return new TrainingRequest(train, validation, validationSplit, test, preprocessing, model, training, base, freeze, resumeFrom, task, anomaly);
    }

    public TrainingRequest resumingFrom(Checkpoint c) {
        return new TrainingRequest(train, validation, validationSplit, test, preprocessing, model, training, baseModel, freezeLayers, c, task, anomaly);
    }
}
