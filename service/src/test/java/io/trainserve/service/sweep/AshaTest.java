package io.trainserve.service.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AshaTest {
    final Asha minimizing = new Asha(2, 3, false);

    @Test
    void rungsAreMinEpochsTimesPowersOfTheReductionFactor() {
        assertThat(java.util.stream.IntStream.rangeClosed(1, 60).filter(minimizing::isRung).boxed().toList()).containsExactly(2, 6, 18, 54);
    }

    @Test
    void whileFewerThanTheReductionFactorReachedARungOnlyTheBestGoesOn() {
        assertThat(minimizing.goesOn(0.5, List.of())).isTrue();
        assertThat(minimizing.goesOn(0.5, List.of(0.7))).isTrue();
        assertThat(minimizing.goesOn(0.7, List.of(0.5))).isFalse();
        assertThat(minimizing.goesOn(0.5, List.of(0.5))).as("a tie goes on").isTrue();
    }

    @Test
    void theBestThirdGoesOn() {
        List<Double> others = List.of(0.1, 0.2, 0.3, 0.4, 0.5);
        assertThat(minimizing.goesOn(0.15, others)).isTrue();  // 2nd of 6: within the best 6/3 = 2
        assertThat(minimizing.goesOn(0.25, others)).isFalse(); // 3rd of 6
        assertThat(new Asha(1, 3, true).goesOn(0.45, others)).isTrue();
        assertThat(new Asha(1, 3, true).goesOn(0.35, others)).isFalse();
    }

    @Test
    void aDivergedValueNeverGoesOnAndDivergedOthersDoNotCount() {
        assertThat(minimizing.goesOn(Double.NaN, List.of())).isFalse();
        assertThat(minimizing.goesOn(Double.POSITIVE_INFINITY, List.of(1.0))).isFalse();
        assertThat(minimizing.goesOn(2.0, java.util.Arrays.asList(Double.NaN, null))).isTrue();
    }
}
