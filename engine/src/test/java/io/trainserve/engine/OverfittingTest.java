package io.trainserve.engine;

import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.RegularizationSpec;
import io.trainserve.engine.spec.TrainingSpec;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The notes' cures for overfitting, measured: dropout and L2 shrink the gap between validation and training loss. */
class OverfittingTest {
    /** 40 training rows, 30 features of which only the first carries (noisy) signal: easy to memorize. */
    static Dataset noisy(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] x = new float[n][30];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(2);
            for (int j = 0; j < 30; j++) x[i][j] = (float) rng.nextGaussian();
            x[i][0] += y[i] == 1 ? 0.8f : -0.8f;
        }
        return Fixtures.classes(x, y, 2);
    }

    static double gap(ModelSpec spec, RegularizationSpec reg) {
        TrainingResult r = new Trainer().train(TrainingRequest.of(noisy(40, 1), spec,
                        TrainingSpec.of("adam", 0.01, 40, 40, 3).withRegularization(reg))
                .withValidation(noisy(1000, 2)));
        EpochMetrics last = r.history().get(r.history().size() - 1);
        return last.metrics().get("val_loss") - last.metrics().get("loss");
    }

    static ModelSpec mlp(double dropout) {
        return dropout == 0
                ? ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.dense(128, "relu"), LayerSpec.dense(128, "relu"), LayerSpec.dense(2, "softmax"))
                : ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.dense(128, "relu"), LayerSpec.dropout(dropout),
                LayerSpec.dense(128, "relu"), LayerSpec.dropout(dropout), LayerSpec.dense(2, "softmax"));
    }


    @Test
    void dropoutAndL2ShrinkTheTrainValidationGap() {
        double plain = gap(mlp(0), RegularizationSpec.NONE);
        double dropout = gap(mlp(0.5), RegularizationSpec.NONE);
        double l2 = gap(mlp(0), new RegularizationSpec(0.0, 0.01));
        double elastic = gap(mlp(0), new RegularizationSpec(0.001, 0.01));
        System.out.printf("val_loss - loss: plain %.3f, dropout %.3f, l2 %.3f, l1+l2 %.3f%n", plain, dropout, l2, elastic);

        assertThat(plain).isGreaterThan(1.0); // it does overfit
        assertThat(dropout).isLessThan(plain * 0.7);
        assertThat(l2).isLessThan(plain * 0.6);
        assertThat(elastic).isLessThan(plain * 0.6);
    }
}
