package io.trainserve.engine;

import io.trainserve.engine.train.DescribedData;

import io.trainserve.engine.data.CsvTableReader;
import io.trainserve.engine.data.Descriptions;
import io.trainserve.engine.data.DatasetBuilder;
import io.trainserve.engine.data.Table;
import io.trainserve.engine.spec.CallbacksSpec;
import io.trainserve.engine.spec.EarlyStoppingSpec;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.Loss;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.TrainingSpec;
import io.trainserve.engine.spec.Violation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Trainer#check}: the one check of a plan, the same against a stored description as against
 * the built rows, with the metric names of the model actually trained.
 */
class PlanCheckTest {
    static final String CSV = """
            color,size,y,score
            red,1,0,0.5
            blue,2,1,1.5
            green,3,2,2.5
            red,4,1,3.5
            blue,5,0,4.5
            """;

    static Table table() throws Exception {
        Path f = Files.createTempFile("plan-check", ".csv");
        Files.writeString(f, CSV, StandardCharsets.UTF_8);
        try {
            return CsvTableReader.read(f);
        } finally {
            Files.delete(f);
        }
    }

    static TrainingSpec monitoring(String monitor) {
        return TrainingSpec.of("sgd", 0.1, 2, 4, 1).withCallbacks(new CallbacksSpec(new EarlyStoppingSpec(monitor, null, null, null, null, null), null, null));
    }

    @Test
    void theStoredDescriptionDescribesTheDataAsTheBuiltRowsDo() throws Exception {
        Table t = table();
        DatasetDescription stored = Descriptions.of(t);
        for (String target : List.of("y", "score")) {
            boolean classes = target.equals("y");
            DataDescription fromRows = DataDescription.of(DatasetBuilder.fromTable(t, target, classes, null));
            DataDescription described = DescribedData.forTarget(stored, target, classes, null);
            assertThat(described.rows()).isEqualTo(fromRows.rows());
            assertThat(described.input()).isEqualTo(fromRows.input());
            assertThat(described.target().column()).isEqualTo(fromRows.target().column());
            assertThat(described.target().classification()).isEqualTo(classes);
            assertThat(described.target().classNames()).isEqualTo(fromRows.target().classNames());
        }
        assertThat(DescribedData.forTarget(stored, "y", true, null).input().width()).isEqualTo(5); // 3 colors one-hot + size + score
        assertThat(DescribedData.forTarget(stored, "y", true, null).target().classNames()).containsExactly("0", "1", "2");
    }

    @Test
    void binaryAccuracyIsNoMetricOfALinearMseModel() throws Exception {
        DatasetDescription stored = Descriptions.of(table());
        Plan plan = new Plan(ModelSpec.of("mse", LayerSpec.dense(1, "linear")), monitoring("binary_accuracy"), null, null, false, null, 0);
        assertThat(Trainer.check(plan, stored, "score")).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("training.callbacks.earlyStopping.monitor");
            assertThat(v.allowed()).startsWith("loss, mse, mae");
        });
        Plan sigmoid = new Plan(ModelSpec.of("mse", LayerSpec.dense(1, "sigmoid")), monitoring("binary_accuracy"), null, null, false, null, 0);
        // binary_accuracy is a metric of a sigmoid output; only the score's range (0.5 to 4.5) is wrong for one
        assertThat(Trainer.check(sigmoid, stored, "score")).extracting(Violation::field).containsExactly("target");
    }

    @Test
    void aFineTuneWithoutAModelIsCheckedWithTheBaseModelsLoss() throws Exception {
        Table t = table();
        Dataset rows = DatasetBuilder.fromTable(t, "score", false, null);
        Model base = new Trainer().train(TrainingRequest.of(rows, ModelSpec.of("mse", LayerSpec.dense(1, "linear")),
                TrainingSpec.of("sgd", 0.01, 2, 5, 1))).model();
        Plan tune = new Plan(null, monitoring("val_mae"), null, 0.4, false, base, 0);
        assertThat(tune.predictsClasses()).isFalse();
        assertThat(Trainer.check(tune, Descriptions.of(t), "score")).isEmpty();
    }

    @Test
    void aWrongTargetStillReportsEverythingElse() throws Exception {
        Plan plan = new Plan(ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.dense(3, "softmax")),
                TrainingSpec.of("lbfgs", 0.1, 0, 4, 1), null, null, false, null, 0);
        List<Violation> v = Trainer.check(plan, Descriptions.of(table()), "score"); // non-integer values cannot be classes
        assertThat(v).extracting(Violation::field).containsExactly("target", "training.optimizer", "training.epochs");
    }

    @Test
    void classificationIsDecidedByTheLossTask() {
        assertThat(Loss.predictsClasses("binary_crossentropy")).isTrue();
        assertThat(Loss.predictsClasses("mae")).isFalse();
        assertThat(Loss.parse("sparse_categorical_crossentropy")).hasValue(Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
    }
}
