package io.trainserve.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.TrainingSpec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 900 rows of class "common" around 0 and 100 of class "rare" around 1.5 (overlapping): unweighted,
 * logistic regression puts the boundary far into the rare class and finds few of them; with
 * {@code classWeight: "balanced"} the boundary moves to the middle and most rare rows are found.
 */
class ClassWeightTest {
    @Test
    void balancedWeightsFindTheRareClass() {
        Random rnd = new Random(3);
        int n = 1000;
        float[] x = new float[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i < 900 ? 0 : 1;
            x[i] = (float) (rnd.nextGaussian() + (y[i] == 1 ? 1.5 : 0));
        }
        Dataset data = new Dataset(x, n, InputSchema.numeric(List.of("x")), new Target.Classes("y", y, List.of("common", "rare")), "t");

        assertThat(rareRecall(data, null)).isLessThan(0.35);
        assertThat(rareRecall(data, "balanced")).isGreaterThan(0.6);
    }

    private static double rareRecall(Dataset data, String classWeight) {
        TrainingSpec t = new TrainingSpec("adam", 0.05, 60, 100, true, 1L, null, null, null, classWeight);
        Model m = new Trainer().train(TrainingRequest.of(data,
                ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.dense(2, "softmax")), t)).model();
        List<Prediction> p = m.predict(data.features(), data.size());
        long found = 0;
        for (int i = 900; i < 1000; i++) if (p.get(i).classIndex() == 1) found++;
        return found / 100.0;
    }
}
