package io.trainserve.service.prediction;

import java.util.List;

/**
 * The body of {@code POST /models/{id}/predict}: each instance is a list of values in feature order
 * (numbers, category strings; images as 784 numbers or 28x28 nested lists) or an object of column
 * name to raw value.
 */
record PredictRequest(List<Object> instances) {
}
