package io.trainserve.engine;

import java.util.Map;

/** One finished epoch: all metrics (loss, accuracy, val_loss, ...), the learning rate used and how long it took. */
public record EpochMetrics(int epoch, Map<String, Double> metrics, double learningRate, long durationMillis,
                           double samplesPerSecond) {
}
