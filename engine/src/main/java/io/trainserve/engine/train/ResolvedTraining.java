package io.trainserve.engine.train;

import io.trainserve.engine.spec.CallbacksSpec;
import io.trainserve.engine.spec.EarlyStoppingSpec;
import io.trainserve.engine.spec.KerasDefaults;
import io.trainserve.engine.spec.MonitorMode;
import io.trainserve.engine.spec.Optimizer;
import io.trainserve.engine.spec.Vocabulary;
import io.trainserve.engine.spec.ModelCheckpointSpec;
import io.trainserve.engine.spec.ReduceLrOnPlateauSpec;
import io.trainserve.engine.spec.RegularizationSpec;
import io.trainserve.engine.spec.TrainingSpec;
import io.trainserve.engine.spec.Violation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A {@link TrainingSpec} with Keras defaults filled in (rmsprop, its default learning rate, 1 epoch,
 * batch 32, shuffle) and every value checked; {@link #violations()} lists what is wrong.
 */
public record ResolvedTraining(String optimizer, double learningRate, int epochs, int batchSize, boolean shuffle, long seed,
                               double momentum, double l1, double l2, CallbacksSpec callbacks) {
    public static final long DEFAULT_SEED = KerasDefaults.SEED;

    public static ResolvedTraining of(TrainingSpec s) {
        String optimizer = s.optimizer() == null ? KerasDefaults.OPTIMIZER.wire() : s.optimizer();
        double lr = s.learningRate() != null ? s.learningRate() : defaultLearningRate(optimizer);
        RegularizationSpec r = s.regularization() == null ? RegularizationSpec.NONE : s.regularization();
        return new ResolvedTraining(optimizer, lr, s.epochs() == null ? KerasDefaults.EPOCHS : s.epochs(),
                s.batchSize() == null ? KerasDefaults.BATCH_SIZE : s.batchSize(),
                s.shuffle() == null ? KerasDefaults.SHUFFLE : s.shuffle(), s.seed() == null ? DEFAULT_SEED : s.seed(),
                s.momentum() == null ? KerasDefaults.MOMENTUM : s.momentum(), r.l1OrZero(), r.l2OrZero(),
                s.callbacks() == null ? CallbacksSpec.NONE : s.callbacks());
    }

    private static double defaultLearningRate(String optimizer) {
        return Vocabulary.parse(Optimizer.class, optimizer).orElse(KerasDefaults.OPTIMIZER).defaultLearningRate();
    }

    /** @param metrics the metric names this run will produce (e.g. loss, accuracy, val_loss, val_accuracy) */
    public List<Violation> violations(Set<String> metrics) {
        List<Violation> v = new ArrayList<>();
        if (Vocabulary.parse(Optimizer.class, optimizer).isEmpty()) v.add(new Violation("training.optimizer", optimizer, Vocabulary.allowed(Optimizer.class)));
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            v.add(new Violation("training.learningRate", String.valueOf(learningRate), "a number > 0 (Keras default for "
                    + optimizer + ": " + defaultLearningRate(optimizer) + ")"));
        }
        if (epochs < 1 || epochs > 100_000) v.add(new Violation("training.epochs", String.valueOf(epochs), "an integer from 1 to 100000"));
        if (batchSize < 1) v.add(new Violation("training.batchSize", String.valueOf(batchSize), "an integer >= 1 (the training set size gives full-batch gradient descent)"));
        if (!(momentum >= 0 && momentum < 1)) v.add(new Violation("training.momentum", String.valueOf(momentum), "a number in [0, 1)"));
        if (!(l1 >= 0) || Double.isInfinite(l1)) v.add(new Violation("training.regularization.l1", String.valueOf(l1), "a number >= 0"));
        if (!(l2 >= 0) || Double.isInfinite(l2)) v.add(new Violation("training.regularization.l2", String.valueOf(l2), "a number >= 0"));
        checkCallbacks(metrics, v);
        return v;
    }

    private void checkCallbacks(Set<String> metrics, List<Violation> v) {
        String allowedMonitors = String.join(", ", metrics) + (metrics.stream().anyMatch(m -> m.startsWith("val_")) ? ""
                : " (val_* metrics need validation data: a validation split or a validation set)");
        EarlyStoppingSpec es = callbacks.earlyStopping();
        if (es != null) {
            String at = "training.callbacks.earlyStopping";
            monitor(at, es.monitor(), metrics, allowedMonitors, v);
            mode(at, es.mode(), v);
            nonNegative(at + ".patience", es.patience(), v);
            nonNegative(at + ".minDelta", es.minDelta(), v);
        }
        ModelCheckpointSpec mc = callbacks.modelCheckpoint();
        if (mc != null) {
            monitor("training.callbacks.modelCheckpoint", mc.monitor(), metrics, allowedMonitors, v);
            mode("training.callbacks.modelCheckpoint", mc.mode(), v);
        }
        ReduceLrOnPlateauSpec rl = callbacks.reduceLrOnPlateau();
        if (rl != null) {
            String at = "training.callbacks.reduceLrOnPlateau";
            monitor(at, rl.monitor(), metrics, allowedMonitors, v);
            mode(at, rl.mode(), v);
            if (rl.factor() != null && !(rl.factor() > 0 && rl.factor() < 1)) {
                v.add(new Violation(at + ".factor", String.valueOf(rl.factor()), "a number in (0, 1) (default 0.1)"));
            }
            nonNegative(at + ".patience", rl.patience(), v);
            nonNegative(at + ".cooldown", rl.cooldown(), v);
            nonNegative(at + ".minDelta", rl.minDelta(), v);
            nonNegative(at + ".minLr", rl.minLr(), v);
        }
    }

    private static void monitor(String at, String monitor, Set<String> metrics, String allowed, List<Violation> v) {
        String m = monitor == null ? KerasDefaults.MONITOR : monitor;
        if (!metrics.contains(m)) v.add(new Violation(at + ".monitor", m, allowed));
    }

    private static void mode(String at, String mode, List<Violation> v) {
        Violation unknown = Vocabulary.unknown(MonitorMode.class, at + ".mode", mode);
        if (unknown != null) v.add(unknown);
    }

    private static void nonNegative(String field, Number n, List<Violation> v) {
        if (n != null && !(n.doubleValue() >= 0)) v.add(new Violation(field, String.valueOf(n), "a number >= 0"));
    }
}
