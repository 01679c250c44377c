package io.trainserve.engine;

import java.util.Map;

/**
 * A classifier's answer (label, class index, probability per class name), a regressor's value, or an
 * anomaly detector's reconstruction error ({@code anomalyScore}) and verdict ({@code anomaly}).
 */
public record Prediction(String label, Integer classIndex, Map<String, Double> probabilities, Double value,
                         Double anomalyScore, Boolean anomaly) {

    public Prediction(String label, Integer classIndex, Map<String, Double> probabilities, Double value) {
        this(label, classIndex, probabilities, value, null, null);
    }

    public static Prediction anomaly(double score, boolean anomalous) {
        return new Prediction(null, null, null, null, score, anomalous);
    }
}
