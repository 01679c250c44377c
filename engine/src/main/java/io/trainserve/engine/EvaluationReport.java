package io.trainserve.engine;

import java.util.List;
import java.util.Map;

/**
 * Metrics of a model on a dataset. Classification: loss, accuracy, per-class precision/recall/F1
 * and the confusion matrix (rows: actual class, columns: predicted). Regression: loss, mse, rmse,
 * mae, r2 (and binary_accuracy for a sigmoid output). Multi-label: loss, binary_accuracy (mean and
 * per label), macro_f1, and per label precision/recall/F1/support in {@code perClass}; no confusion matrix.
 */
public record EvaluationReport(long rows, Map<String, Double> metrics, List<ClassMetrics> perClass,
                               List<String> classNames, long[][] confusionMatrix) {

    public record ClassMetrics(String label, double precision, double recall, double f1, long support) {
    }
}
