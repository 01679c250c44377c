package io.trainserve.service.doctor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The training doctor: reads a finished run (its per-epoch metrics, spec and data facts) and names what
 * went wrong, with the numbers that show it and the lecture notes' cure. A pure function: same examination,
 * same diagnoses; a sound run gets none.
 */
public final class Doctor {
    /** Loss change over the whole run below this fraction of the first loss counts as "did not move". */
    static final double FLAT = 1e-3;
    /** A loss that grew by this factor rose by orders of magnitude. */
    static final double BLOW_UP = 100;
    /** Features this far from unit scale (|mean| or std) are unscaled. */
    static final double FAR_FROM_UNIT = 10;
    /** Feature ranges differing by this factor are on different scales. */
    static final double RANGE_RATIO = 100;
    /** Share of the majority class from which accuracy says little. */
    static final double IMBALANCE = 0.8;
    /** Consecutive epochs of rising validation loss that show overfitting. */
    static final int RISING_EPOCHS = 3;

    private Doctor() {
    }

    public static List<Diagnosis> diagnose(Examination x) {
        List<Diagnosis> found = new ArrayList<>();
        boolean diverged = x.divergence() != null;
        String unscaled = unscaled(x);
        if (diverged) found.add(diverged(x, unscaled));
        String blowUp = blowUp(x);
        if (blowUp != null) {
            found.add(new Diagnosis("LEARNING_RATE_TOO_HIGH", diverged ? "error" : "warning", blowUp,
                    "Use a smaller learning rate: try 10x smaller values (e.g. 0.1, 0.01, 0.001) and keep the one whose cost "
                            + "falls steadily. The notes: if the cost diverges, the learning rate is too large."));
        }
        if (unscaled != null) {
            found.add(new Diagnosis("UNSCALED_INPUTS", diverged ? "error" : "warning", unscaled,
                    "Normalize the inputs: set preprocessing.scaling to standardize (or minmax). The notes: features on very "
                            + "different scales make gradient descent zig-zag or blow up to NaN/inf."));
        }
        String flat = diverged ? null : flat(x);
        if (flat != null) {
            found.add(new Diagnosis("LEARNING_RATE_TOO_LOW", "warning", flat,
                    "Use a larger learning rate: start near 0.01 and try several values 10x apart, watching the cost. "
                            + "The notes: if the cost does not move, the learning rate is too small."));
        }
        String over = diverged ? null : overfitting(x);
        if (over != null) {
            found.add(new Diagnosis("OVERFITTING", "warning", over,
                    "The notes' cures for overfitting: more training data, fewer features, regularization (training.regularization "
                            + "l2), dropout layers, batch normalization, and early stopping (training.callbacks.earlyStopping "
                            + "on val_loss with restoreBestWeights)."));
        }
        String stuck = diverged || flat != null ? null : stuck(x);
        if (stuck != null) {
            found.add(new Diagnosis("STUCK_UNITS", "warning", stuck,
                    "Train again with another training.seed, or initialize the relu layers with init \"he\" (or use "
                            + "leaky_relu) so that fewer units start dead."));
        }
        String under = diverged || flat != null || over != null || stuck != null ? null : underfitting(x);
        if (under != null) {
            found.add(new Diagnosis("UNDERFITTING", "warning", under,
                    "Train longer (more epochs), use a larger model (more units or layers) or a somewhat larger learning rate; "
                            + "the cost was still falling when training stopped."));
        }
        String imbalance = imbalance(x);
        if (imbalance != null) {
            found.add(new Diagnosis("CLASS_IMBALANCE", "warning", imbalance,
                    "Accuracy is misleading here: a model that always answers the majority class scores as high. Collect more "
                            + "rows of the rare classes (or resample them) and judge the model by per-class precision and recall."));
        }
        if (!x.validated() && !x.epochs().isEmpty()) {
            found.add(new Diagnosis("NO_VALIDATION", "info",
                    "no validation split or dataset: " + x.epochs().size() + " epochs were judged on the training rows only",
                    "Hold out data (validation.split 0.2, or a validation.datasetId) so that overfitting shows as a rising val_loss."));
        }
        return List.copyOf(found);
    }

    private static Diagnosis diverged(Examination x, String unscaled) {
        String evidence = "the loss became NaN or infinite after " + x.epochs().size() + " finished epochs (learning rate "
                + num(x.learningRate()) + ", optimizer " + x.optimizer() + "): " + x.divergence();
        String advice = unscaled != null
                ? "Normalize the inputs (preprocessing.scaling: standardize or minmax) and, if it still diverges, lower the learning rate 10x."
                : "Lower the learning rate (try 10x smaller values) and check the inputs are scaled (preprocessing.scaling).";
        return new Diagnosis("DIVERGED", "error", evidence, advice);
    }

    /** The training loss rose by orders of magnitude, or diverged at a rate well above any the notes suggest. */
    private static String blowUp(Examination x) {
        List<Double> loss = series(x, "loss");
        if (loss.size() >= 2) {
            double lowest = Double.MAX_VALUE;
            int lowestEpoch = 0;
            for (int i = 0; i < loss.size(); i++) {
                double l = loss.get(i);
                if (l < lowest) {
                    lowest = l;
                    lowestEpoch = i + 1;
                }
                if (lowest > 0 && l >= lowest * BLOW_UP) {
                    return "the training loss rose from " + num(lowest) + " (epoch " + lowestEpoch + ") to " + num(l)
                            + " (epoch " + (i + 1) + "), a factor of " + num(l / lowest) + ", at learning rate " + num(x.learningRate());
                }
            }
        }
        if (x.divergence() != null && x.learningRate() > 1) {
            return "the run diverged at learning rate " + num(x.learningRate()) + ", far above the usual 0.0001 to 1";
        }
        return null;
    }

    private static String flat(Examination x) {
        List<Double> loss = series(x, "loss");
        if (loss.size() < 2) return null;
        double first = loss.get(0);
        double last = loss.get(loss.size() - 1);
        if (first == 0) return null;
        double change = Math.abs(last - first) / Math.abs(first);
        if (change >= FLAT) return null;
        return "the training loss moved from " + num(first) + " (epoch 1) to " + num(last) + " (epoch " + loss.size()
                + "), a relative change of " + num(change) + " (below " + num(FLAT) + "), at learning rate " + num(x.learningRate());
    }

    private static String unscaled(Examination x) {
        if (x.scaled() || x.features().isEmpty()) return null;
        Examination.Feature far = x.features().stream()
                .filter(f -> Math.abs(f.mean()) > FAR_FROM_UNIT || f.std() > FAR_FROM_UNIT)
                .max(Comparator.comparingDouble(f -> Math.max(Math.abs(f.mean()), f.std()))).orElse(null);
        if (far != null) {
            return "no preprocessing.scaling while feature '" + far.name() + "' has mean " + num(far.mean()) + " and std "
                    + num(far.std()) + " (more than " + num(FAR_FROM_UNIT) + " away from unit scale)";
        }
        Examination.Feature widest = x.features().stream().max(Comparator.comparingDouble(Examination.Feature::range)).orElseThrow();
        Examination.Feature narrowest = x.features().stream().filter(f -> f.range() > 0)
                .min(Comparator.comparingDouble(Examination.Feature::range)).orElse(null);
        if (narrowest != null && widest.range() >= RANGE_RATIO * narrowest.range()) {
            return "no preprocessing.scaling while feature '" + widest.name() + "' spans " + num(widest.range()) + " and '"
                    + narrowest.name() + "' spans " + num(narrowest.range()) + " (ranges differ " + num(widest.range() / narrowest.range()) + "x)";
        }
        return null;
    }

    /** Validation loss rising for several epochs after its best while training loss kept falling, or a large gap. */
    private static String overfitting(Examination x) {
        List<Double> val = series(x, "val_loss");
        List<Double> loss = series(x, "loss");
        if (val.size() != loss.size() || val.size() < RISING_EPOCHS + 1) return null;
        int best = 0;
        for (int i = 1; i < val.size(); i++) if (val.get(i) < val.get(best)) best = i;
        int last = val.size() - 1;
        int rising = 0;
        for (int i = last; i > best && val.get(i) > val.get(i - 1); i--) rising++;
        if (last - best >= RISING_EPOCHS && rising >= RISING_EPOCHS && val.get(last) > 1.1 * val.get(best) && loss.get(last) < loss.get(best)) {
            return "val_loss rose from " + num(val.get(best)) + " (epoch " + (best + 1) + ") to " + num(val.get(last)) + " (epoch "
                    + (last + 1) + ") while the training loss fell from " + num(loss.get(best)) + " to " + num(loss.get(last));
        }
        List<Double> acc = series(x, "accuracy");
        List<Double> valAcc = series(x, "val_accuracy");
        if (acc.size() == valAcc.size() && !acc.isEmpty() && acc.get(last) - valAcc.get(last) >= 0.25) {
            return "at epoch " + (last + 1) + " training accuracy is " + num(acc.get(last)) + " but validation accuracy only "
                    + num(valAcc.get(last)) + " (a gap of " + num(acc.get(last) - valAcc.get(last)) + ")";
        }
        return null;
    }

    /** Accuracy frozen below the top over the last epochs while relu units can die (XOR stuck at 75 %). */
    private static String stuck(Examination x) {
        List<Double> acc = series(x, "accuracy");
        List<Double> loss = series(x, "loss");
        int window = Math.max(5, acc.size() / 3);
        if (!x.reluHidden() || acc.size() < 2 * window || loss.size() != acc.size()) return null;
        int last = acc.size() - 1;
        double a = acc.get(last);
        if (a > 0.9) return null;
        for (int i = last - window + 1; i <= last; i++) if (acc.get(i).doubleValue() != a) return null;
        double from = loss.get(last - window + 1);
        if (Math.abs(loss.get(last) - from) > FLAT * Math.abs(from)) return null;
        return "training accuracy stayed at " + num(a) + " from epoch " + (last - window + 2) + " to " + (last + 1)
                + " with the loss flat at " + num(loss.get(last)) + ": some relu units output 0 for every row and no longer learn";
    }

    /** Still improving at the last epoch while far from good. */
    private static String underfitting(Examination x) {
        List<Double> loss = series(x, "loss");
        if (loss.size() < 2) return null;
        int last = loss.size() - 1;
        double drop = (loss.get(last - 1) - loss.get(last)) / Math.abs(loss.get(last - 1));
        if (drop < 0.01) return null;
        List<Double> acc = series(x, "accuracy");
        if (!acc.isEmpty() && acc.size() == loss.size()) {
            if (acc.get(last) >= 0.9) return null;
            return "training accuracy is only " + num(acc.get(last)) + " after " + loss.size() + " epochs and the loss still fell "
                    + num(100 * drop) + " % in the last epoch (" + num(loss.get(last - 1)) + " to " + num(loss.get(last)) + ")";
        }
        if (drop < 0.05) return null;
        return "the training loss still fell " + num(100 * drop) + " % in the last epoch (" + num(loss.get(last - 1)) + " to "
                + num(loss.get(last)) + ", epoch " + loss.size() + ")";
    }

    private static String imbalance(Examination x) {
        long total = x.classCounts().values().stream().mapToLong(Long::longValue).sum();
        if (total == 0 || x.classCounts().size() < 2) return null;
        Map.Entry<String, Long> major = x.classCounts().entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        double share = (double) major.getValue() / total;
        if (share < IMBALANCE) return null;
        return "class '" + major.getKey() + "' holds " + major.getValue() + " of " + total + " training rows (" + num(100 * share)
                + " %); a constant answer would score " + num(share) + " accuracy";
    }

    private static List<Double> series(Examination x, String metric) {
        List<Double> values = new ArrayList<>();
        for (Map<String, Double> e : x.epochs()) {
            Double v = e.get(metric);
            if (v == null || !Double.isFinite(v)) return values;
            values.add(v);
        }
        return values;
    }

    static String num(double v) {
        if (v != 0 && (Math.abs(v) >= 1e7 || Math.abs(v) < 1e-3)) return String.format(Locale.ROOT, "%.3g", v);
        return String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
