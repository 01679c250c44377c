package io.trainserve.engine;

import java.util.Map;

/** A classifier's answer (label, class index, probability per class name) or a regressor's value. */
public record Prediction(String label, Integer classIndex, Map<String, Double> probabilities, Double value) {
}
