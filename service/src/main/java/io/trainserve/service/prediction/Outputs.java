package io.trainserve.service.prediction;

import io.trainserve.engine.Model;
import io.trainserve.engine.Target;
import java.util.List;

/**
 * A batch of raw network outputs read as predictions without building a map per row: a regressor's value, a
 * classifier's class index, label and per-class probability (softmax units, or one sigmoid unit giving the
 * second class's probability, as {@link Model#predict} reads them), a multi-label model's probability per label,
 * or an anomaly detector's reconstruction error and verdict (which need the encoded rows the outputs reconstruct).
 */
final class Outputs {
    private final float[] out;
    private final int units;
    private final boolean classification;
    private final boolean multiLabel;
    private final List<String> classNames;
    private final Target.Reconstruction detector;
    private final double[] scores;

    /** @param rows the encoded rows {@code out} was computed from (needed for an anomaly detector's scores) */
    Outputs(Model model, float[] rows, float[] out, int count) {
        this.out = out;
        this.units = out.length / count;
        this.classification = model.target().classification();
        this.multiLabel = model.target() instanceof Target.Labels;
        this.classNames = model.classNames();
        this.detector = model.anomalyDetector();
        this.scores = detector == null ? null : model.anomalyScores(rows, out, count);
    }

    /** True for an autoencoder ({@code "task": "anomaly"}): rows are answered with {@link #anomalyScore} and {@link #anomaly}. */
    boolean anomalyDetector() {
        return detector != null;
    }

    double anomalyScore(int row) {
        return scores[row];
    }

    boolean anomaly(int row) {
        return detector.anomalous(scores[row]);
    }

    boolean classification() {
        return classification;
    }

    /** Independent 0/1 labels, one sigmoid unit each: {@link #classNames()} are the label names. */
    boolean multiLabel() {
        return multiLabel;
    }

    /** Multi-label: label {@code j}'s probability in {@code row}. */
    double labelProbability(int row, int j) {
        return out[row * units + j];
    }

    List<String> classNames() {
        return classNames;
    }

    int classes() {
        return classNames.size();
    }

    double value(int row) {
        return out[row * units];
    }

    double probability(int row, int k) {
        if (units == 1) return k == 1 ? (double) out[row] : 1 - (double) out[row];
        return out[row * units + k];
    }

    int classIndex(int row) {
        if (units == 1) return out[row] >= 0.5f ? 1 : 0;
        int best = 0, base = row * units;
        for (int j = 1; j < units; j++) if (out[base + j] > out[base + best]) best = j;
        return best;
    }

    String label(int row) {
        return classNames.get(classIndex(row));
    }

    /** Class indices by falling probability, the first {@code k}. */
    int[] top(int row, int k) {
        int n = classes();
        k = Math.min(k, n);
        int[] best = new int[k];
        boolean[] taken = new boolean[n];
        for (int i = 0; i < k; i++) {
            int pick = -1;
            for (int j = 0; j < n; j++) if (!taken[j] && (pick < 0 || probability(row, j) > probability(row, pick))) pick = j;
            taken[pick] = true;
            best[i] = pick;
        }
        return best;
    }
}
