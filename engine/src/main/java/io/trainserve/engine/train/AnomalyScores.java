package io.trainserve.engine.train;

import io.trainserve.engine.Dataset;
import io.trainserve.engine.EvaluationReport;
import io.trainserve.engine.Target;
import io.trainserve.engine.nn.NdArrays;
import io.trainserve.engine.nn.Network;
import io.trainserve.engine.preprocess.Scaling;
import io.trainserve.engine.spec.AnomalySpec;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Anomaly detection with an autoencoder: a row's score is its reconstruction error (the mean squared
 * error over the features, in the scaled space the network sees, i.e. the same quantity as its mse
 * loss); the threshold is fitted on the training rows' scores; a labelled set is scored with
 * precision, recall, F1 and ROC-AUC.
 */
public final class AnomalyScores {
    /** The two classes of an anomaly report, in index order (label 0 and label 1). */
    public static final List<String> CLASSES = List.of("normal", "anomaly");

    private AnomalyScores() {
    }

    /** Reconstruction error per row of the first {@code count} scaled input rows and the network's outputs for them (same width). */
    public static double[] rowErrors(float[] scaledInput, float[] outputs, int count) {
        int width = outputs.length / count; // the input may hold more rows than count
        double[] errors = new double[count];
        for (int r = 0; r < count; r++) {
            double sum = 0;
            for (int j = r * width, end = j + width; j < end; j++) {
                double e = outputs[j] - scaledInput[j];
                sum += e * e;
            }
            errors[r] = sum / width;
        }
        return errors;
    }

    /** Scores of {@code rows} raw rows, scaled and reconstructed batch by batch in inference mode. */
    public static double[] scores(Network net, float[] features, Scaling scaling, int rows, int batch) {
        ScaledRows scaled = new ScaledRows(features, net.inputShape().size(), scaling);
        double[] all = new double[rows];
        for (int from = 0; from < rows; from += batch) {
            int count = Math.min(batch, rows - from);
            INDArray x = net.inputBuffer(count);
            scaled.copy(from, count, x);
            float[] in = NdArrays.read(x);
            System.arraycopy(rowErrors(in, net.predict(x), count), 0, all, from, count);
        }
        return all;
    }

    /** The target a trained autoencoder keeps: the fixed threshold, or the quantile of {@code train}'s scores. */
    static Target.Reconstruction fitThreshold(Network net, Dataset train, Scaling scaling, AnomalySpec spec) {
        AnomalySpec a = spec == null ? new AnomalySpec(null, null) : spec;
        if (a.threshold() != null) return new Target.Reconstruction(a.threshold(), null);
        double q = a.effectiveQuantile();
        return new Target.Reconstruction(quantile(scores(net, train.features(), scaling, train.size(), 1000), q), q);
    }

    /**
     * The {@code q} quantile with linear interpolation between the closest ranks, numpy's default
     * ({@code np.quantile}), so a user can reproduce a threshold from the scores.
     */
    public static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        if (lo + 1 >= sorted.length) return sorted[sorted.length - 1];
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    /**
     * Area under the ROC curve of {@code scores} against {@code anomaly} (true = positive): the share of
     * (anomaly, normal) pairs the scores rank right, a tie counting half (Mann-Whitney U from tie-averaged
     * ranks); NaN when only one class occurs. Not ND4J's exact {@code ROC}: it counts a tied pair as
     * ranked wrong (5/6 instead of 5.5/6 on AnomalyScoresTest's case), and reconstruction errors do tie.
     */
    public static double rocAuc(double[] scores, boolean[] anomaly) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double positiveRankSum = 0;
        long positives = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) j++;
            double rank = (i + j) / 2.0 + 1; // the average of ranks i+1 .. j+1
            for (int k = i; k <= j; k++) {
                if (anomaly[order[k]]) {
                    positiveRankSum += rank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) return Double.NaN;
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /**
     * How the fitted threshold and the scores do on labelled rows: loss (the mean score), precision,
     * recall and F1 of the anomaly class, ROC-AUC (left out when only one class occurs), the threshold,
     * and per-class rows with the 2x2 confusion matrix (rows: actual normal/anomaly, columns: predicted).
     */
    public static EvaluationReport report(double[] scores, boolean[] anomaly, double threshold) {
        long[][] confusion = new long[2][2];
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            confusion[anomaly[i] ? 1 : 0][scores[i] > threshold ? 1 : 0]++;
            sum += scores[i];
        }
        long tp = confusion[1][1], fp = confusion[0][1], fn = confusion[1][0], tn = confusion[0][0];
        EvaluationReport.ClassMetrics normal = classMetrics(CLASSES.get(0), tn, fn, fp);
        EvaluationReport.ClassMetrics anomalous = classMetrics(CLASSES.get(1), tp, fp, fn);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", scores.length == 0 ? 0 : sum / scores.length);
        m.put("precision", anomalous.precision());
        m.put("recall", anomalous.recall());
        m.put("f1", anomalous.f1());
        double auc = rocAuc(scores, anomaly);
        if (!Double.isNaN(auc)) m.put("roc_auc", auc);
        m.put("accuracy", scores.length == 0 ? 0 : (double) (tp + tn) / scores.length);
        m.put("threshold", threshold);
        return new EvaluationReport(scores.length, m, List.of(normal, anomalous), CLASSES, confusion);
    }

    private static EvaluationReport.ClassMetrics classMetrics(String name, long hits, long falseHits, long misses) {
        double precision = hits + falseHits == 0 ? 0 : (double) hits / (hits + falseHits);
        double recall = hits + misses == 0 ? 0 : (double) hits / (hits + misses);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new EvaluationReport.ClassMetrics(name, precision, recall, f1, hits + misses);
    }
}
