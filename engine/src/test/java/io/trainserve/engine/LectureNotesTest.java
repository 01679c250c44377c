package io.trainserve.engine;

import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.TrainingSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The lecture notes' own examples, trained by the engine, with the outcomes the notes show. */
class LectureNotesTest {
    private final Trainer trainer = new Trainer();

    @Test
    void softmaxClassifierOfTheNotesReachesFullAccuracyAndPredictsTheirClasses() {
        Dataset data = Fixtures.softmax8();
        TrainingResult r = trainer.train(TrainingRequest.of(data,
                ModelSpec.of("categorical_crossentropy", LayerSpec.dense(3, "softmax")),
                TrainingSpec.of("sgd", 0.1, 2000, 8, 1)));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.model().metrics().get("accuracy")).isEqualTo(1.0);
        List<String> labels = r.model().predict(data.features(), data.size()).stream().map(Prediction::label).toList();
        assertThat(labels).containsExactly("2", "2", "2", "1", "1", "1", "0", "0");
    }

    @Test
    void xorIsLearnedByATwoLayerNetwork() {
        Dataset data = Fixtures.xor();
        TrainingResult r = trainer.train(TrainingRequest.of(data,
                ModelSpec.of("binary_crossentropy", LayerSpec.dense(8, "relu", "he"), LayerSpec.dense(1, "sigmoid")),
                TrainingSpec.of("adam", 0.05, 300, 4, 7)));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        List<Integer> predicted = r.model().predict(data.features(), 4).stream().map(Prediction::classIndex).toList();
        assertThat(predicted).containsExactly(0, 1, 1, 0);
        assertThat(r.model().metrics().get("accuracy")).isEqualTo(1.0);
    }

    @Test
    void quizScoreRegressionConvergesWithStandardization() {
        Dataset data = Fixtures.quizScores();
        TrainingResult r = trainer.train(TrainingRequest.of(data, ModelSpec.of("mse", LayerSpec.dense(1, "linear")),
                        TrainingSpec.of("sgd", 0.1, 100, 5, 1).withShuffle(false))
                .withPreprocessing(PreprocessingSpec.scaling("standardize")));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        double first = r.history().get(0).metrics().get("loss");
        double last = r.history().get(r.history().size() - 1).metrics().get("loss");
        assertThat(first).isGreaterThan(10_000); // predictions start near 0, targets near 170
        assertThat(last).isLessThan(10.0);
        Prediction p = r.model().predict(new float[]{93, 88, 93}, 1).get(0);
        assertThat(p.value()).isBetween(180.0, 190.0);
        EvaluationReport report = r.model().evaluate(data);
        assertThat(report.metrics()).containsKeys("loss", "mse", "rmse", "mae", "r2");
        assertThat(report.metrics().get("rmse")).isCloseTo(Math.sqrt(report.metrics().get("mse")), org.assertj.core.data.Offset.offset(1e-4));
        assertThat(report.metrics().get("r2")).isGreaterThan(0.95);
    }

    @Test
    void learningRateTooHighEndsAsDivergedWithAHint() {
        TrainingResult r = trainer.train(TrainingRequest.of(Fixtures.softmax3Features(),
                ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.dense(3, "softmax")),
                TrainingSpec.of("sgd", 1e5, 20, 8, 1)));

        assertThat(r.outcome()).isEqualTo(Outcome.DIVERGED);
        assertThat(r.model()).isNull();
        assertThat(r.message()).contains("Lower the learning rate").contains("scale the inputs");
    }

    @Test
    void learningRateTooLowFinishesWithTheLossFlat() {
        TrainingResult r = trainer.train(TrainingRequest.of(Fixtures.softmax3Features(),
                ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.dense(3, "softmax")),
                TrainingSpec.of("sgd", 1e-10, 20, 8, 1)));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.history()).hasSize(20);
        double first = r.history().get(0).metrics().get("loss");
        for (EpochMetrics e : r.history()) assertThat(e.metrics().get("loss")).isCloseTo(first, org.assertj.core.data.Offset.offset(1e-6));
    }
}
