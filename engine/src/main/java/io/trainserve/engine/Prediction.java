package io.trainserve.engine;

import java.util.List;
import java.util.Map;

/**
 * A classifier's answer (label, class index, probability per class name), a regressor's value, or a
 * multi-label answer: the probability per label and {@code labels}, the label names at or above the
 * threshold in the target's order (null for the other kinds).
 */
public record Prediction(String label, Integer classIndex, Map<String, Double> probabilities, Double value, List<String> labels) {
    public Prediction(String label, Integer classIndex, Map<String, Double> probabilities, Double value) {
        this(label, classIndex, probabilities, value, null);
    }

    /** The default threshold of a multi-label prediction, as Keras' binary accuracy. */
    public static final double DEFAULT_THRESHOLD = 0.5;
}
