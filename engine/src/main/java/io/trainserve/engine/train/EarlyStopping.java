package io.trainserve.engine.train;

import io.trainserve.engine.CallbackState;
import io.trainserve.engine.spec.EarlyStoppingSpec;

import java.util.Map;

/** Keras EarlyStopping: wait counts epochs without improvement by minDelta; stop at patience. */
final class EarlyStopping {
    private final Monitor monitor;
    private final double minDelta;
    private final int patience;
    private final Double baseline;
    final boolean restoreBestWeights;
    private final CallbackState.Early state;

    EarlyStopping(EarlyStoppingSpec spec, CallbackState.Early state) {
        this.monitor = Monitor.of(spec.monitor() == null ? io.trainserve.engine.spec.KerasDefaults.MONITOR : spec.monitor(), spec.mode());
        this.minDelta = spec.minDelta() == null ? 0.0 : spec.minDelta();
        this.patience = spec.patience() == null ? 0 : spec.patience();
        this.baseline = spec.baseline();
        this.restoreBestWeights = Boolean.TRUE.equals(spec.restoreBestWeights());
        this.state = state;
        if (Double.isNaN(state.best)) state.best = monitor.worst();
    }

    /** @return true when training should stop after this epoch (1-based) */
    boolean onEpochEnd(int epoch, Map<String, Double> metrics, Runnable snapshotBest) {
        Double current = monitor.read(metrics);
        if (current == null) return false;
        state.wait++;
        if (monitor.improves(current, state.best, minDelta)) {
            state.best = current;
            state.bestEpoch = epoch;
            if (restoreBestWeights) snapshotBest.run();
            if (baseline == null || monitor.improves(current, baseline, minDelta)) state.wait = 0;
        }
        return state.wait >= patience && epoch > 1; // Keras: never on the first epoch
    }

    int bestEpoch() { return state.bestEpoch; }
}
