package io.trainserve.engine;

import java.util.List;
import java.util.Map;

/**
 * A classifier's answer (label, class index, probability per class name), a regressor's value, a
 * multi-label answer (the probability per label and {@code labels}, the label names at or above the
 * threshold in the target's order), or an anomaly detector's reconstruction error ({@code anomalyScore})
 * and verdict ({@code anomaly}). Fields that do not apply to the model's kind are null.
 */
public record Prediction(String label, Integer classIndex, Map<String, Double> probabilities, Double value, List<String> labels,
                         Double anomalyScore, Boolean anomaly) {

    public Prediction(String label, Integer classIndex, Map<String, Double> probabilities, Double value) {
        this(label, classIndex, probabilities, value, null, null, null);
    }

    public Prediction(String label, Integer classIndex, Map<String, Double> probabilities, Double value, List<String> labels) {
        this(label, classIndex, probabilities, value, labels, null, null);
    }

    public static Prediction anomaly(double score, boolean anomalous) {
        return new Prediction(null, null, null, null, null, score, anomalous);
    }

    /** The default threshold of a multi-label prediction, as Keras' binary accuracy. */
    public static final double DEFAULT_THRESHOLD = 0.5;
}
