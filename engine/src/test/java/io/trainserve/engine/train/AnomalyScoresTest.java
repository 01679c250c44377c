package io.trainserve.engine.train;

import io.trainserve.engine.EvaluationReport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The threshold's quantile, ROC-AUC and the anomaly report, against values worked out by hand (and numpy). */
class AnomalyScoresTest {

    @Test
    void quantileInterpolatesLinearlyBetweenClosestRanksLikeNumpy() {
        double[] v = {5, 1, 4, 2, 3};
        // np.quantile([1,2,3,4,5], q): h = 4q; 0.99 -> 4.96, 0.5 -> 3, 0.1 -> 1.4
        assertThat(AnomalyScores.quantile(v, 0.99)).isCloseTo(4.96, within(1e-12));
        assertThat(AnomalyScores.quantile(v, 0.5)).isCloseTo(3.0, within(1e-12));
        assertThat(AnomalyScores.quantile(v, 0.1)).isCloseTo(1.4, within(1e-12));
        assertThat(AnomalyScores.quantile(new double[]{7}, 0.99)).isEqualTo(7.0);
        assertThat(v).containsExactly(5, 1, 4, 2, 3); // not sorted in place
    }

    @Test
    void rocAucIsTheShareOfAnomalyNormalPairsRankedRightWithTiesCountingHalf() {
        // normal 0.1, 0.4, 0.35; anomalies 0.8 (beats all 3) and 0.4 (beats 0.1 and 0.35, ties 0.4): (3 + 2.5) / 6
        double[] scores = {0.1, 0.8, 0.4, 0.35, 0.4};
        boolean[] anomaly = {false, true, false, false, true};
        assertThat(AnomalyScores.rocAuc(scores, anomaly)).isCloseTo(5.5 / 6, within(1e-9));
        // only the order counts
        double[] large = {10, 80, 40, 35, 40};
        assertThat(AnomalyScores.rocAuc(large, anomaly)).isCloseTo(5.5 / 6, within(1e-9));
        assertThat(AnomalyScores.rocAuc(new double[]{0.2, 0.9}, new boolean[]{false, true})).isCloseTo(1.0, within(1e-9));
        assertThat(AnomalyScores.rocAuc(new double[]{0.9, 0.2}, new boolean[]{false, true})).isCloseTo(0.0, within(1e-9));
        assertThat(AnomalyScores.rocAuc(new double[]{0.2, 0.9}, new boolean[]{false, false})).isNaN();
    }

    @Test
    void reportCountsEachRowAgainstTheThreshold() {
        double[] scores = {0.1, 0.8, 0.4, 0.35, 0.3, 0.9};
        boolean[] anomaly = {false, true, false, false, true, true};
        // threshold 0.38: flagged 0.8 (tp), 0.4 (fp), 0.9 (tp); missed 0.3 (fn); tn 0.1, 0.35
        EvaluationReport r = AnomalyScores.report(scores, anomaly, 0.38);
        assertThat(r.confusionMatrix()).isDeepEqualTo(new long[][]{{2, 1}, {1, 2}});
        assertThat(r.metrics().get("precision")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(r.metrics().get("recall")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(r.metrics().get("threshold")).isEqualTo(0.38);
        assertThat(r.metrics().get("loss")).isCloseTo((0.1 + 0.8 + 0.4 + 0.35 + 0.3 + 0.9) / 6, within(1e-12));
        // pairs: 0.8 beats 3, 0.3 beats 0.1 only, 0.9 beats 3: 7 / 9
        assertThat(r.metrics().get("roc_auc")).isCloseTo(7.0 / 9, within(1e-9));
        assertThat(r.classNames()).containsExactly("normal", "anomaly");
        assertThat(r.perClass().get(1).support()).isEqualTo(3);
    }

    @Test
    void rowErrorsAreTheMeanSquaredErrorPerRow() {
        float[] in = {0, 0, 1, 1};
        float[] out = {1, 0, 1, 4};
        assertThat(AnomalyScores.rowErrors(in, out, 2)).containsExactly(0.5, 4.5);
    }
}
