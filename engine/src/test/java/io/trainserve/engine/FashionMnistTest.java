package io.trainserve.engine;

import io.trainserve.engine.data.DatasetBuilder;
import io.trainserve.engine.data.IdxReader;
import io.trainserve.engine.data.ImageSet;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.TrainingSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notes' MNIST models on Fashion-MNIST (Debian package dataset-fashion-mnist, installed by
 * .ci/run). A missing dataset fails the test: a skipped test would pass for nothing.
 */
class FashionMnistTest {
    static final Path DIR = Path.of(System.getProperty("fashion.mnist.dir", "/usr/share/datasets/fashion-mnist"));
    static Dataset train, test;

    @BeforeAll
    static void load() throws Exception {
        assertThat(Files.exists(DIR.resolve("train-images-idx3-ubyte.gz")))
                .as("Fashion-MNIST is missing: apt-get install dataset-fashion-mnist").isTrue();
        train = DatasetBuilder.fromImages(IdxReader.read(DIR.resolve("train-images-idx3-ubyte.gz"), DIR.resolve("train-labels-idx1-ubyte.gz")));
        ImageSet t = IdxReader.read(DIR.resolve("t10k-images-idx3-ubyte.gz"), DIR.resolve("t10k-labels-idx1-ubyte.gz"));
        test = DatasetBuilder.fromImages(t, (Target.Classes) train.target());
    }

    @Test
    void softmaxRegressionReaches83PercentInFifteenEpochs() {
        TrainingResult r = new Trainer().train(TrainingRequest.of(train,
                        ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.flatten(), LayerSpec.dense(10, "softmax")),
                        TrainingSpec.of("adam", 0.001, 15, 100, 1))
                .withTest(test));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.model().summary().trainableParams()).isEqualTo(7_850);
        assertThat(r.test().metrics().get("accuracy")).isGreaterThanOrEqualTo(0.83);
        assertThat(r.test().confusionMatrix()).hasDimensions(10, 10);
        assertThat(r.test().perClass()).hasSize(10).allSatisfy(c -> assertThat(c.support()).isEqualTo(1000));
    }

    @Test
    void mlpReaches87PercentInFiveEpochs() {
        TrainingResult r = new Trainer().train(TrainingRequest.of(train,
                        ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.dense(256, "relu"), LayerSpec.dense(256, "relu"),
                                LayerSpec.dense(10, "softmax")),
                        TrainingSpec.of("adam", 0.001, 5, 100, 1))
                .withTest(test));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.model().summary().trainableParams()).isEqualTo(269_322);
        assertThat(r.test().metrics().get("accuracy")).isGreaterThanOrEqualTo(0.87);
        System.out.printf("fashion-mnist mlp: test accuracy %.4f, epoch seconds %s%n", r.test().metrics().get("accuracy"),
                r.history().stream().map(h -> String.format("%.2f", h.durationMillis() / 1000.0)).toList());
    }
}
