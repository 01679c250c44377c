package io.trainserve.engine;

import io.trainserve.engine.spec.AnomalySpec;
import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.TrainingSpec;
import io.trainserve.engine.spec.Violation;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Task anomaly: an autoencoder trained on normal rows only (points near a 2-D plane embedded in 8
 * features) fits its threshold on the training rows' reconstruction errors and flags points off the plane.
 */
class AnomalyDetectionTest {
    static final int WIDTH = 8;
    static final ModelSpec AUTOENCODER = ModelSpec.of("mse", LayerSpec.dense(16, "tanh"), LayerSpec.dense(2, "linear"),
            LayerSpec.dense(16, "tanh"), LayerSpec.dense(WIDTH, "linear"));
    /** Two directions spanning the plane the normal rows lie near. */
    static final double[][] PLANE = {{1, 0.5, -0.3, 0.8, 0.2, -0.6, 0.4, 0.1}, {-0.2, 0.7, 0.9, -0.1, 0.5, 0.3, -0.8, 0.6}};

    /** Rows near the plane (noise 0.02), or, when {@code offPlane}, pushed off it by ±0.8 in each feature. */
    static float[] rows(int n, boolean offPlane, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * WIDTH];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble(-1, 1), v = rng.nextDouble(-1, 1);
            for (int j = 0; j < WIDTH; j++) {
                double off = offPlane ? (rng.nextBoolean() ? 0.8 : -0.8) : 0;
                x[i * WIDTH + j] = (float) (u * PLANE[0][j] + v * PLANE[1][j] + rng.nextGaussian() * 0.02 + off);
            }
        }
        return x;
    }

    static Dataset normal(int n, long seed) {
        return new Dataset(rows(n, false, seed), n, InputSchema.numeric(Fixtures.featureNames(WIDTH)), Target.reconstruction(), "normal");
    }

    static TrainingRequest request(AnomalySpec anomaly) {
        return TrainingRequest.of(normal(400, 1), AUTOENCODER, TrainingSpec.of("adam", 0.01, 60, 32, 7))
                .withPreprocessing(PreprocessingSpec.scaling("standardize")).withValidationSplit(0.1).forAnomalies(anomaly);
    }

    static long flagged(Model m, float[] x, int n) {
        return m.predict(x, n).stream().filter(Prediction::anomaly).count();
    }

    @Test
    void anAutoencoderOnNormalRowsFlagsRowsOffTheirPlane() throws Exception {
        TrainingResult r = new Trainer().train(request(null));
        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.history().get(r.history().size() - 1).metrics()).containsOnlyKeys("loss", "val_loss");
        Model m = r.model();
        Target.Reconstruction detector = m.anomalyDetector();
        assertThat(detector.quantile()).isEqualTo(AnomalySpec.DEFAULT_QUANTILE);
        assertThat(detector.threshold()).isPositive();

        int n = 200;
        long falseAlarms = flagged(m, rows(n, false, 11), n), caught = flagged(m, rows(n, true, 12), n);
        assertThat(falseAlarms).isLessThanOrEqualTo(n / 10);
        assertThat(caught).isGreaterThanOrEqualTo(n * 9 / 10);
        Prediction p = m.predict(rows(1, true, 13), 1).get(0);
        assertThat(p.anomalyScore()).isGreaterThan(detector.threshold());
        assertThat(p.label()).isNull();

        // a few rows take the plain-Java path, many the batched one: the same scores
        float[] many = rows(40, true, 15);
        List<Prediction> batched = m.predict(many, 40), few = m.predict(java.util.Arrays.copyOf(many, 4 * WIDTH), 4);
        for (int i = 0; i < 4; i++) assertThat(few.get(i).anomalyScore()).isCloseTo(batched.get(i).anomalyScore(), within(1e-5));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.save(bytes);
        Model loaded = Model.load(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(loaded.anomalyDetector()).isEqualTo(detector);
        float[] probe = rows(20, true, 14);
        assertThat(loaded.predict(probe, 20)).isEqualTo(m.predict(probe, 20));
    }

    @Test
    void theThresholdIsTheQuantileOfTheTrainingRowsErrorsOrTheFixedValue() {
        // without a validation split every row trains, so the 0.5 quantile flags half the training rows
        TrainingRequest half = TrainingRequest.of(normal(100, 3), AUTOENCODER, TrainingSpec.of("adam", 0.01, 5, 32, 7))
                .withPreprocessing(PreprocessingSpec.scaling("standardize")).forAnomalies(new AnomalySpec(0.5, null));
        Model m = new Trainer().train(half).model();
        assertThat(flagged(m, half.train().features(), 100)).isEqualTo(50);

        Model fixed = new Trainer().train(request(new AnomalySpec(null, 0.25)).withTraining(TrainingSpec.of("adam", 0.01, 2, 32, 7))).model();
        assertThat(fixed.anomalyDetector()).isEqualTo(new Target.Reconstruction(0.25, null));
    }

    @Test
    void evaluationOnLabelledRowsReportsPrecisionRecallAndRocAuc() {
        Model m = new Trainer().train(request(null)).model();
        float[] normal = rows(50, false, 21), off = rows(50, true, 22);
        float[] x = new float[100 * WIDTH];
        float[] labels = new float[100];
        System.arraycopy(normal, 0, x, 0, normal.length);
        System.arraycopy(off, 0, x, normal.length, off.length);
        for (int i = 50; i < 100; i++) labels[i] = 1;
        EvaluationReport r = m.evaluate(new Dataset(x, 100, m.inputSchema(), new Target.Values("is_anomaly", labels), "labelled"));
        assertThat(r.metrics().get("roc_auc")).isGreaterThan(0.95);
        assertThat(r.metrics().get("recall")).isGreaterThanOrEqualTo(0.9);
        assertThat(r.metrics().get("precision")).isGreaterThanOrEqualTo(0.9);
        assertThat(r.metrics().get("threshold")).isEqualTo(m.anomalyDetector().threshold());
        assertThat(r.confusionMatrix()[0][0] + r.confusionMatrix()[0][1]).isEqualTo(50);

        labels[3] = 2;
        assertThatThrownBy(() -> m.evaluate(new Dataset(x, 100, m.inputSchema(), new Target.Values("is_anomaly", labels), "bad")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("labelColumn");
    }

    @Test
    void thePlanCheckNamesEveryWrongAnomalyField() {
        DataDescription unlabelled = DataDescription.of(normal(10, 1));
        ModelSpec narrow = ModelSpec.of("mae", LayerSpec.dense(4, "relu"), LayerSpec.dense(3, "linear"));
        Plan bad = new Plan(narrow, null, null, null, false, null, 0, "anomaly", new AnomalySpec(1.5, 0.2));
        assertThat(fields(Trainer.check(bad, unlabelled))).contains("model.loss", "model.layers[1].units", "anomaly", "anomaly.quantile");

        Plan good = new Plan(AUTOENCODER, null, null, null, false, null, 0, "anomaly", null);
        assertThat(Trainer.check(good, unlabelled)).isEmpty();
        DataDescription labelled = DataDescription.of(Fixtures.values(new float[][]{{1, 2, 3, 4, 5, 6, 7, 8}}, new float[]{1}));
        assertThat(fields(Trainer.check(good, labelled))).containsExactly("target");
        assertThat(fields(Trainer.check(new Plan(AUTOENCODER, null, null, null, false, null, 0, "clustering", null), unlabelled)))
                .contains("task");
        assertThat(fields(Trainer.check(new Plan(AUTOENCODER, null, null, null, false, null, 0, null, new AnomalySpec(0.9, null)), labelled)))
                .contains("anomaly");
        assertThatThrownBy(() -> new Trainer().train(request(new AnomalySpec(0.0, null))))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("anomaly.quantile");
    }

    private static List<String> fields(List<Violation> v) {
        return v.stream().map(Violation::field).toList();
    }
}
