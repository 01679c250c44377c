package io.trainserve.service.sweep;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter Tuning", as in
 * Determined and Optuna's SuccessiveHalvingPruner): rungs at {@code minEpochs * reductionFactor^k} epochs; a trial
 * reaching a rung goes on only if its value is in the best {@code 1/reductionFactor} of the values recorded there so
 * far (itself included; the best one while fewer than {@code reductionFactor} trials got there).
 */
record Asha(int minEpochs, int reductionFactor, boolean maximize) {

    boolean isRung(int epoch) {
        for (long rung = minEpochs; rung <= epoch; rung *= reductionFactor) {
            if (rung == epoch) return true;
        }
        return false;
    }

    /**
     * @param value  this trial's metric at the rung (NaN or infinite: it diverged, it never goes on)
     * @param others the other trials' values at the same rung
     */
    boolean goesOn(double value, Collection<Double> others) {
        if (!Double.isFinite(value)) return false;
        List<Double> all = new ArrayList<>();
        for (Double o : others) if (o != null && Double.isFinite(o)) all.add(o);
        all.add(value);
        Comparator<Double> best = maximize ? Comparator.reverseOrder() : Comparator.naturalOrder();
        all.sort(best);
        int kept = Math.max(1, all.size() / reductionFactor);
        double cutoff = all.get(kept - 1);
        return best.compare(value, cutoff) <= 0;
    }
}
