package io.trainserve.engine.train;

import io.trainserve.engine.CallbackState;
import io.trainserve.engine.spec.ReduceLrOnPlateauSpec;

import java.util.Map;

/** Keras ReduceLROnPlateau: lr = max(lr * factor, minLr) after patience epochs without improvement, then cooldown. */
final class ReduceLrOnPlateau {
    private final Monitor monitor;
    private final double factor, minDelta, minLr;
    private final int patience, cooldown;
    private final CallbackState.Plateau state;

    ReduceLrOnPlateau(ReduceLrOnPlateauSpec spec, CallbackState.Plateau state) {
        this.monitor = Monitor.of(spec.monitor() == null ? io.trainserve.engine.spec.KerasDefaults.MONITOR : spec.monitor(), spec.mode());
        this.factor = spec.factor() == null ? io.trainserve.engine.spec.KerasDefaults.REDUCE_LR_FACTOR : spec.factor();
        this.minDelta = spec.minDelta() == null ? 1e-4 : spec.minDelta();
        this.minLr = spec.minLr() == null ? 0.0 : spec.minLr();
        this.patience = spec.patience() == null ? 10 : spec.patience();
        this.cooldown = spec.cooldown() == null ? 0 : spec.cooldown();
        this.state = state;
        if (Double.isNaN(state.best)) state.best = monitor.worst();
    }

    /** @return the learning rate for the next epoch */
    double onEpochEnd(Map<String, Double> metrics, double lr) {
        Double current = monitor.read(metrics);
        if (current == null) return lr;
        if (state.cooldownCounter > 0) {
            state.cooldownCounter--;
            state.wait = 0;
        }
        if (monitor.improves(current, state.best, minDelta)) {
            state.best = current;
            state.wait = 0;
        } else if (state.cooldownCounter <= 0) {
            state.wait++;
            if (state.wait >= patience && lr > minLr) {
                state.cooldownCounter = cooldown;
                state.wait = 0;
                return Math.max(lr * factor, minLr);
            }
        }
        return lr;
    }
}
