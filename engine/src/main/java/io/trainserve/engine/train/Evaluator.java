package io.trainserve.engine.train;

import io.trainserve.engine.EvaluationReport;
import io.trainserve.engine.Target;
import io.trainserve.engine.nn.ForwardContext;
import io.trainserve.engine.nn.LossHead;
import io.trainserve.engine.nn.NdArrays;
import io.trainserve.engine.nn.Network;
import io.trainserve.engine.nn.DenseLayer;
import io.trainserve.engine.preprocess.Scaling;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.evaluation.classification.EvaluationBinary;
import org.nd4j.evaluation.regression.RegressionEvaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a network over a dataset in inference mode and scores it. */
public final class Evaluator {
    private Evaluator() {
    }

    /** Outputs row-major {@code rows x units} and the mean loss (without weight penalties). */
    public record Outputs(float[] values, int units, double loss) {
    }

    /** Outputs for {@code rows} raw rows of features, scaled batch by batch. */
    public static Outputs run(Network net, float[] features, Scaling scaling, int rows, Target target, int batch) {
        ScaledRows scaled = new ScaledRows(features, net.inputShape().size(), scaling);
        int units = net.outputUnits();
        float[] all = new float[rows * units];
        float[] out = new float[Math.min(batch, rows) * units];
        double lossSum = 0;
        LossHead head = net.head();
        for (int from = 0; from < rows; from += batch) {
            int count = Math.min(batch, rows - from);
            INDArray x = net.inputBuffer(count);
            scaled.copy(from, count, x);
            INDArray z = net.forward(x, ForwardContext.INFERENCE, 0);
            int[] classes = target instanceof Target.Classes c ? java.util.Arrays.copyOfRange(c.indices(), from, from + count) : null;
            float[] values = target instanceof Target.Values v ? java.util.Arrays.copyOfRange(v.values(), from, from + count)
                    : target instanceof Target.Labels l ? java.util.Arrays.copyOfRange(l.values(), from * units, (from + count) * units)
                    : target instanceof Target.Reconstruction ? NdArrays.read(x) : null; // an autoencoder's target is its scaled input
            lossSum += head.apply(z, classes, values, out, null) * count;
            System.arraycopy(out, 0, all, from * units, count * units);
        }
        return new Outputs(all, units, rows == 0 ? Double.NaN : lossSum / rows);
    }

    /** Per-epoch metrics (accuracy or mse/mae), named as Keras names them, with an optional prefix ("val_"). */
    public static Map<String, Double> metrics(String prefix, Outputs o, Target target, boolean sigmoidOutput, double penalty) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(prefix + "loss", o.loss() + penalty);
        MetricAccumulator acc = new MetricAccumulator(target, o.units(), sigmoidOutput);
        acc.add(o.values(), 0, rows(target));
        acc.into(prefix, m);
        return m;
    }

    static int rows(Target t) {
        return t.rows();
    }

    /** Full report: ND4J's Evaluation (accuracy, per-class precision/recall/F1, confusion matrix) or RegressionEvaluation. */
    public static EvaluationReport report(Network net, float[] features, Scaling scaling, int rows, Target target, int batch) {
        Outputs o = run(net, features, scaling, rows, target, batch);
        boolean sigmoid = "sigmoid".equals(((DenseLayer) net.layers().get(net.layers().size() - 1)).activationName());
        Map<String, Double> metrics = metrics("", o, target, sigmoid, 0);
        if (target instanceof Target.Reconstruction) return new EvaluationReport(rows, metrics, List.of(), List.of(), null);
        if (target instanceof Target.Classes c) {
            int k = c.classCount();
            INDArray labels = Nd4j.zeros(DataType.FLOAT, rows, k);
            INDArray predictions = Nd4j.zeros(DataType.FLOAT, rows, k);
            for (int i = 0; i < rows; i++) {
                labels.putScalar(i, c.indices()[i], 1f);
                if (o.units() == 1) { // sigmoid: probability of class 1
                    predictions.putScalar(i, 0, 1 - o.values()[i]);
                    predictions.putScalar(i, 1, o.values()[i]);
                } else {
                    for (int j = 0; j < k; j++) predictions.putScalar(i, j, o.values()[i * k + j]);
                }
            }
            Evaluation ev = new Evaluation(c.classNames(), 1);
            ev.eval(labels, predictions);
            List<EvaluationReport.ClassMetrics> perClass = new ArrayList<>();
            long[][] confusion = new long[k][k];
            for (int a = 0; a < k; a++) {
                for (int p = 0; p < k; p++) confusion[a][p] = ev.getConfusionMatrix().getCount(a, p);
                long support = java.util.Arrays.stream(confusion[a]).sum();
                perClass.add(new EvaluationReport.ClassMetrics(c.classNames().get(a), finite(ev.precision(a)), finite(ev.recall(a)),
                        finite(ev.f1(a)), support));
            }
            metrics.put("accuracy", ev.accuracy());
            metrics.put("macro_f1", ev.f1(org.nd4j.evaluation.EvaluationAveraging.Macro));
            return new EvaluationReport(rows, metrics, perClass, c.classNames(), confusion);
        }
        if (target instanceof Target.Labels l) return labelsReport(l, o, rows, metrics);
        Target.Values v = (Target.Values) target;
        RegressionEvaluation ev = new RegressionEvaluation(1);
        ev.eval(Nd4j.create(v.values(), new long[]{rows, 1}, 'c').castTo(DataType.FLOAT),
                Nd4j.create(o.values(), new long[]{rows, 1}, 'c').castTo(DataType.FLOAT));
        metrics.put("mse", ev.meanSquaredError(0));
        metrics.put("rmse", ev.rootMeanSquaredError(0));
        metrics.put("mae", ev.meanAbsoluteError(0));
        metrics.put("r2", ev.rSquared(0));
        return new EvaluationReport(rows, metrics, List.of(), List.of(), null);
    }

    /** Multi-label: ND4J's EvaluationBinary per label (threshold 0.5): precision, recall, F1 and binary accuracy. */
    private static EvaluationReport labelsReport(Target.Labels target, Outputs o, int rows, Map<String, Double> metrics) {
        int k = target.columns().size();
        EvaluationBinary ev = new EvaluationBinary(k, null);
        ev.eval(Nd4j.create(target.values(), new long[]{rows, k}, 'c').castTo(DataType.FLOAT),
                Nd4j.create(o.values(), new long[]{rows, k}, 'c').castTo(DataType.FLOAT));
        List<EvaluationReport.ClassMetrics> perLabel = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            perLabel.add(new EvaluationReport.ClassMetrics(target.columns().get(j), finite(ev.precision(j)), finite(ev.recall(j)),
                    finite(ev.f1(j)), ev.truePositives(j) + ev.falseNegatives(j)));
        }
        metrics.put("macro_f1", perLabel.stream().mapToDouble(EvaluationReport.ClassMetrics::f1).average().orElse(0));
        return new EvaluationReport(rows, metrics, perLabel, target.columns(), null);
    }

    private static double finite(double d) {
        return Double.isFinite(d) ? d : 0.0;
    }
}
