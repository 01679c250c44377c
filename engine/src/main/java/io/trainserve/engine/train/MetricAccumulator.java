package io.trainserve.engine.train;

import io.trainserve.engine.Target;

import java.util.Map;

/**
 * Running accuracy (classification, threshold 0.5 for one sigmoid unit), squared/absolute error
 * (regression, plus binary accuracy for a sigmoid output), or binary accuracy per label and their
 * mean (multi-label: {@code binary_accuracy}, {@code binary_accuracy_<label>}) over batches of outputs.
 */
final class MetricAccumulator {
    private final Target target;
    private final int units;
    private final boolean sigmoidOutput;
    private long seen, correct;
    /** Multi-label: rows whose label j was predicted right (threshold 0.5). */
    private long[] labelCorrect;
    private double squared, absolute;

    MetricAccumulator(Target target, int units, boolean sigmoidOutput) {
        this.target = target;
        this.units = units;
        this.sigmoidOutput = sigmoidOutput;
    }

    /** @param outputs rows {@code [0, count)} of a batch whose first row is dataset row {@code rows[from]} (or from itself) */
    void add(float[] outputs, int[] rows, int from, int count) {
        for (int i = 0; i < count; i++) addRow(outputs, i, rows == null ? from + i : rows[from + i]);
        seen += count;
    }

    void add(float[] outputs, int from, int count) {
        add(outputs, null, from, count);
    }

    private void addRow(float[] outputs, int i, int row) {
        if (target instanceof Target.Reconstruction) return; // an autoencoder reports its loss only
        if (target instanceof Target.Labels l) {
            if (labelCorrect == null) labelCorrect = new long[units];
            for (int j = 0; j < units; j++) {
                if ((outputs[i * units + j] >= 0.5f) == (l.values()[row * units + j] >= 0.5f)) labelCorrect[j]++;
            }
        } else if (target instanceof Target.Classes c) {
            int predicted;
            if (units == 1) {
                predicted = outputs[i] >= 0.5f ? 1 : 0;
            } else {
                predicted = 0;
                for (int j = 1; j < units; j++) if (outputs[i * units + j] > outputs[i * units + predicted]) predicted = j;
            }
            if (predicted == c.indices()[row]) correct++;
        } else {
            double y = ((Target.Values) target).values()[row];
            double e = outputs[i] - y;
            squared += e * e;
            absolute += Math.abs(e);
            if (sigmoidOutput && (outputs[i] >= 0.5f) == (y >= 0.5)) correct++;
        }
    }

    void into(String prefix, Map<String, Double> metrics) {
        if (seen == 0) return;
        if (target instanceof Target.Labels l) {
            long all = 0;
            for (long c : labelCorrect) all += c;
            metrics.put(prefix + "binary_accuracy", (double) all / (seen * units));
            for (int j = 0; j < units; j++) metrics.put(prefix + "binary_accuracy_" + l.columns().get(j), (double) labelCorrect[j] / seen);
        } else if (target instanceof Target.Classes) {
            metrics.put(prefix + "accuracy", (double) correct / seen);
        } else if (target instanceof Target.Values) {
            metrics.put(prefix + "mse", squared / seen);
            metrics.put(prefix + "mae", absolute / seen);
            if (sigmoidOutput) metrics.put(prefix + "binary_accuracy", (double) correct / seen);
        }
    }
}
