package io.trainserve.service.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The doctor as a pure function: each rule on hand-made histories, with its thresholds' both sides. */
class DoctorTest {
    static final List<Examination.Feature> UNIT = List.of(new Examination.Feature("a", 0.5, 0.3, 0, 1),
            new Examination.Feature("b", 0.2, 0.4, -1, 1));

    static List<Map<String, Double>> epochs(int n, IntFunction<Map<String, Double>> epoch) {
        List<Map<String, Double>> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) out.add(epoch.apply(i));
        return out;
    }

    static Examination run(List<Map<String, Double>> epochs) {
        return new Examination(epochs, null, 0.01, "adam", true, true, false, UNIT, Map.of("a", 50L, "b", 50L));
    }

    static List<String> codes(Examination x) {
        return Doctor.diagnose(x).stream().map(Diagnosis::code).toList();
    }

    /** Loss falling to a plateau, validation following it, accuracy reaching 0.98. */
    static Map<String, Double> sound(int i) {
        double loss = 0.05 + Math.exp(-i / 3.0);
        return Map.of("loss", loss, "val_loss", loss * 1.05, "accuracy", Math.min(0.98, 0.5 + i * 0.05), "val_accuracy", Math.min(0.96, 0.5 + i * 0.05));
    }

    @Test
    void soundRunHasNone() {
        assertThat(Doctor.diagnose(run(epochs(40, DoctorTest::sound)))).isEmpty();
    }

    @Test
    void flatLossIsTooLowARate() {
        List<Diagnosis> d = Doctor.diagnose(run(epochs(20, i -> Map.of("loss", 1.0986 - i * 1e-6, "accuracy", 0.3))));
        assertThat(d).extracting(Diagnosis::code).containsExactly("LEARNING_RATE_TOO_LOW");
        assertThat(d.get(0).evidence()).contains("1.0986").contains("epoch 20").contains("0.01");
        // a 1 % change over the run is movement, not a flat line
        assertThat(codes(run(epochs(20, i -> Map.of("loss", 1.0 - i * 5e-4, "accuracy", 0.95))))).doesNotContain("LEARNING_RATE_TOO_LOW");
    }

    @Test
    void divergenceWithALossThatExplodedIsTooHighARate() {
        List<Map<String, Double>> h = List.of(Map.of("loss", 1.2), Map.of("loss", 30.0), Map.of("loss", 4000.0));
        Examination x = new Examination(h, "loss became NaN in epoch 4", 0.5, "sgd", true, true, false, UNIT, Map.of());
        List<Diagnosis> d = Doctor.diagnose(x);
        assertThat(d).extracting(Diagnosis::code).containsExactly("DIVERGED", "LEARNING_RATE_TOO_HIGH");
        assertThat(d.get(0).severity()).isEqualTo("error");
        assertThat(d.get(1).evidence()).contains("1.2").contains("4000").contains("epoch 3");
        // diverging at once at a rate above 1 also blames the rate; at 0.5 with no history it does not
        assertThat(codes(new Examination(List.of(), "NaN", 1e5, "sgd", true, true, false, UNIT, Map.of())))
                .containsExactly("DIVERGED", "LEARNING_RATE_TOO_HIGH");
        assertThat(codes(new Examination(List.of(), "NaN", 0.5, "sgd", true, true, false, UNIT, Map.of()))).containsExactly("DIVERGED");
    }

    @Test
    void unscaledFeaturesByMeanOrByRange() {
        List<Examination.Feature> quiz = List.of(new Examination.Feature("quiz1", 78, 9, 60, 96),
                new Examination.Feature("quiz2", 80, 8, 65, 98));
        Examination x = new Examination(epochs(40, DoctorTest::sound), null, 0.01, "sgd", false, true, false, quiz, Map.of());
        List<Diagnosis> d = Doctor.diagnose(x);
        assertThat(d).extracting(Diagnosis::code).containsExactly("UNSCALED_INPUTS");
        assertThat(d.get(0).evidence()).contains("quiz2").contains("mean 80");
        assertThat(d.get(0).advice()).contains("standardize");

        List<Examination.Feature> ranges = List.of(new Examination.Feature("small", 0.1, 0.05, 0, 0.2),
                new Examination.Feature("wide", 5, 6, -9, 19));
        assertThat(codes(new Examination(epochs(40, DoctorTest::sound), null, 0.01, "sgd", false, true, false, ranges, Map.of())))
                .containsExactly("UNSCALED_INPUTS");
        // the same features with a scaling asked for are fine
        assertThat(codes(new Examination(epochs(40, DoctorTest::sound), null, 0.01, "sgd", true, true, false, quiz, Map.of()))).isEmpty();
    }

    @Test
    void risingValidationLossWhileTrainingLossFallsIsOverfitting() {
        List<Diagnosis> d = Doctor.diagnose(run(epochs(30, i -> Map.of("loss", 1.0 / i, "accuracy", 0.97,
                "val_loss", i <= 10 ? 1.0 / i + 0.2 : 0.3 + (i - 10) * 0.05, "val_accuracy", 0.8))));
        assertThat(d).extracting(Diagnosis::code).containsExactly("OVERFITTING");
        assertThat(d.get(0).evidence()).contains("epoch 10").contains("epoch 30");
        assertThat(d.get(0).advice()).contains("dropout").contains("early stopping");
        // a large accuracy gap alone also counts
        assertThat(codes(run(epochs(30, i -> Map.of("loss", 0.05 + Math.exp(-i / 3.0), "accuracy", 1.0, "val_loss", 0.5, "val_accuracy", 0.6)))))
                .containsExactly("OVERFITTING");
    }

    @Test
    void lowAccuracyStillImprovingIsUnderfitting() {
        List<Diagnosis> d = Doctor.diagnose(run(epochs(10, i -> Map.of("loss", 2.0 - i * 0.1, "accuracy", 0.3 + i * 0.03))));
        assertThat(d).extracting(Diagnosis::code).containsExactly("UNDERFITTING");
        assertThat(d.get(0).evidence()).contains("0.6").contains("10 epochs");
    }

    @Test
    void frozenAccuracyWithReluIsStuckUnits() {
        List<Map<String, Double>> h = epochs(60, i -> Map.of("loss", i < 20 ? 0.7 - i * 0.01 : 0.5, "accuracy", i < 20 ? 0.5 : 0.75));
        Examination relu = new Examination(h, null, 0.1, "adam", true, true, true, UNIT, Map.of());
        List<Diagnosis> d = Doctor.diagnose(relu);
        assertThat(d).extracting(Diagnosis::code).containsExactly("STUCK_UNITS");
        assertThat(d.get(0).evidence()).contains("0.75");
        assertThat(d.get(0).advice()).contains("seed").contains("he");
        assertThat(codes(new Examination(h, null, 0.1, "adam", true, true, false, UNIT, Map.of()))).doesNotContain("STUCK_UNITS");
    }

    @Test
    void majorityClassOfEightyPercentIsImbalance() {
        Examination x = new Examination(epochs(40, DoctorTest::sound), null, 0.01, "adam", true, true, false, UNIT, Map.of("ok", 90L, "fraud", 10L));
        List<Diagnosis> d = Doctor.diagnose(x);
        assertThat(d).extracting(Diagnosis::code).containsExactly("CLASS_IMBALANCE");
        assertThat(d.get(0).evidence()).contains("'ok'").contains("90 of 100");
        assertThat(codes(new Examination(epochs(40, DoctorTest::sound), null, 0.01, "adam", true, true, false, UNIT,
                Map.of("ok", 79L, "fraud", 21L)))).isEmpty();
    }

    @Test
    void noHeldOutDataIsNoValidation() {
        Examination x = new Examination(epochs(40, i -> Map.of("loss", 0.05 + Math.exp(-i / 3.0), "accuracy", 0.98)), null, 0.01, "adam",
                true, false, false, UNIT, Map.of());
        List<Diagnosis> d = Doctor.diagnose(x);
        assertThat(d).extracting(Diagnosis::code).containsExactly("NO_VALIDATION");
        assertThat(d.get(0).severity()).isEqualTo("info");
        assertThat(d.get(0).evidence()).contains("40 epochs");
    }
}
