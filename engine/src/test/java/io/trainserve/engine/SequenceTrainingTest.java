package io.trainserve.engine;

import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.TrainingSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A stacked LSTM learns to tell sine windows from square windows (rows read as [16, 1] sequences). */
class SequenceTrainingTest {
    static Dataset waves(int n, long seed) {
        Random rng = new Random(seed);
        float[][] x = new float[n][16];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            double period = 6 + rng.nextDouble() * 8, phase = rng.nextDouble() * 2 * Math.PI;
            for (int t = 0; t < 16; t++) {
                double s = Math.sin(2 * Math.PI * t / period + phase);
                x[i][t] = (float) ((y[i] == 1 ? Math.signum(s) * 0.8 : s) + rng.nextGaussian() * 0.1);
            }
        }
        return Fixtures.classes(x, y, 2);
    }

    @Test
    void stackedLstmSeparatesSineFromSquare() {
        ModelSpec spec = new ModelSpec(List.of(LayerSpec.lstm(8, true), LayerSpec.dropout(0.1), new LayerSpec("batch_norm", null, null, null, null, null, null, null, null, null, null, 0.9, null, null, null, null),
                LayerSpec.lstm(8, false), LayerSpec.dense(2, "softmax")), "sparse_categorical_crossentropy", List.of(16, 1));
        TrainingResult r = new Trainer().train(TrainingRequest.of(waves(240, 1), spec, TrainingSpec.of("adam", 0.01, 30, 16, 3))
                .withValidation(waves(80, 2)));
        r.history().forEach(e -> System.out.println(e.metrics()));
        assertThat(r.history().get(r.history().size() - 1).metrics().get("val_accuracy")).isGreaterThanOrEqualTo(0.9);
    }
}
