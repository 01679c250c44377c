package io.trainserve.service.prediction;

import io.trainserve.engine.Prediction;
import java.util.List;

/** Classifiers: label, classIndex and probabilities per class name; regressors: value. */
record PredictResponse(String modelId, int version, List<Prediction> predictions) {
}
