package io.trainserve.engine;

import io.trainserve.engine.data.CsvTableReader;
import io.trainserve.engine.data.DatasetBuilder;
import io.trainserve.engine.data.Descriptions;
import io.trainserve.engine.data.Table;
import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.TargetSpec;
import io.trainserve.engine.spec.TrainingSpec;
import io.trainserve.engine.spec.Violation;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Multi-label targets (a list of 0/1 columns, sigmoid + binary_crossentropy) and 0-1 regression with binary_crossentropy. */
class MultiLabelTest {
    private static final List<String> LABELS = List.of("sunny", "windy", "cold");

    /** 3 labels from thresholds on 4 features. */
    static String weatherCsv(int rows, long seed) {
        Random rng = new Random(seed);
        StringBuilder b = new StringBuilder("a,b,c,d,sunny,windy,cold\n");
        for (int i = 0; i < rows; i++) {
            double a = rng.nextDouble(), bb = rng.nextDouble(), c = rng.nextDouble(), d = rng.nextDouble();
            b.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%d,%d,%d%n", a, bb, c, d,
                    a > 0.5 ? 1 : 0, bb + c > 1 ? 1 : 0, d < 0.3 ? 1 : 0));
        }
        return b.toString();
    }

    private static Table table(String csv) {
        return CsvTableReader.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
    }

    private static ModelSpec spec(int units) {
        return ModelSpec.of("binary_crossentropy", LayerSpec.dense(16, "relu"), LayerSpec.dense(units, "sigmoid"));
    }

    @Test
    void learnsThreeLabelsAndSavesThemInTheBundle() throws Exception {
        Dataset train = DatasetBuilder.multiLabel(table(weatherCsv(400, 1)), LABELS, null);
        assertThat(train.width()).isEqualTo(4);
        assertThat(train.target()).isInstanceOf(Target.Labels.class);
        TrainingResult r = new Trainer().train(TrainingRequest.of(train, spec(3), TrainingSpec.of("adam", 0.02, 60, 32, 1))
                .withPreprocessing(io.trainserve.engine.spec.PreprocessingSpec.scaling("standardize")).withValidationSplit(0.2));
        EpochMetrics last = r.history().get(r.history().size() - 1);
        assertThat(last.metrics()).containsKeys("binary_accuracy", "binary_accuracy_sunny", "binary_accuracy_windy",
                "binary_accuracy_cold", "val_binary_accuracy").doesNotContainKey("accuracy");
        assertThat(last.metrics().get("val_binary_accuracy")).isGreaterThanOrEqualTo(0.9);

        EvaluationReport report = r.model().evaluate(DatasetBuilder.fromTable(table(weatherCsv(200, 2)), null, train.inputSchema(),
                train.target(), null));
        assertThat(report.perClass()).extracting(EvaluationReport.ClassMetrics::label).containsExactlyElementsOf(LABELS);
        assertThat(report.perClass()).allSatisfy(m -> assertThat(m.f1()).isGreaterThan(0.8));
        assertThat(report.metrics().get("binary_accuracy")).isGreaterThanOrEqualTo(0.9);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        r.model().save(bytes);
        Model loaded = Model.load(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(loaded.target()).isInstanceOfSatisfying(Target.Labels.class, l -> assertThat(l.columns()).isEqualTo(LABELS));
        // a = 0.9 (sunny), b + c = 1.6 (windy), d = 0.9 (not cold)
        Prediction p = loaded.predict(new float[]{0.9f, 0.8f, 0.8f, 0.9f}, 1).get(0);
        assertThat(p.probabilities()).containsOnlyKeys(LABELS);
        assertThat(p.labels()).containsExactly("sunny", "windy");
    }

    @Test
    void kerasExportAndImportKeepOneSigmoidUnitPerLabel() {
        Dataset train = DatasetBuilder.multiLabel(table(weatherCsv(120, 5)), LABELS, null);
        Model model = new Trainer().train(TrainingRequest.of(train, spec(3), TrainingSpec.of("adam", 0.02, 5, 32, 1))
                .withPreprocessing(io.trainserve.engine.spec.PreprocessingSpec.scaling("minmax"))).model();
        Model back = KerasImport.read(KerasExport.toH5(model), new KerasImport.Options("weather.h5", null, null, LABELS));
        assertThat(back.target()).isInstanceOfSatisfying(Target.Labels.class, l -> assertThat(l.columns()).isEqualTo(LABELS));
        float[] rows = java.util.Arrays.copyOf(train.features(), 10 * train.width());
        float[] expected = model.outputs(rows, 10), got = back.outputs(rows, 10);
        for (int i = 0; i < expected.length; i++) assertThat(got[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(KerasImport.read(KerasExport.toH5(model), KerasImport.Options.named("weather.h5")).classNames())
                .containsExactly("label_0", "label_1", "label_2");
    }

    @Test
    void refusesNonZeroOneColumnsAndMismatchedOutputs() {
        String csv = "a,b,sunny,windy\n1,2,0,1\n2,3,1,2\n3,4,0,0\n";
        DatasetDescription d = Descriptions.of(table(csv));
        Plan plan = new Plan(spec(2), null, null, null, false, null, 0);
        List<Violation> v = Trainer.check(plan, d, TargetSpec.labels(List.of("sunny", "windy")));
        assertThat(v).anySatisfy(x -> {
            assertThat(x.field()).isEqualTo("target");
            assertThat(x.given()).contains("windy").contains("2");
        });
        assertThatThrownBy(() -> DatasetBuilder.multiLabel(table(csv), List.of("sunny", "windy"), null))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("windy").hasMessageContaining("2");

        DatasetDescription ok = Descriptions.of(table("a,b,sunny,windy\n1,2,0,1\n2,3,1,0\n"));
        List<Violation> wrong = Trainer.check(new Plan(ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.dense(3, "softmax")),
                null, null, null, false, null, 0), ok, TargetSpec.labels(List.of("sunny", "windy")));
        assertThat(wrong).extracting(Violation::field).contains("model.loss", "model.layers[0].activation", "model.layers[0].units");
        assertThat(Trainer.check(plan, ok, TargetSpec.labels(List.of("sunny", "rainy"))))
                .anySatisfy(x -> assertThat(x.field() + x.given()).isEqualTo("target\"rainy\""));
        assertThat(Trainer.check(plan, ok, TargetSpec.labels(List.of("sunny", "windy")))).isEmpty();

        // callbacks may watch the multi-label metrics, not a single-label accuracy the run does not report
        for (String monitor : List.of("val_binary_accuracy", "val_binary_accuracy_windy", "val_accuracy")) {
            Plan watching = new Plan(spec(2), TrainingSpec.of("adam", 0.01, 5, 8, 1).withCallbacks(new io.trainserve.engine.spec.CallbacksSpec(
                    new io.trainserve.engine.spec.EarlyStoppingSpec(monitor, null, 2, null, null, null), null, null)), null, 0.5, false, null, 0);
            List<Violation> found = Trainer.check(watching, ok, TargetSpec.labels(List.of("sunny", "windy")));
            if (monitor.equals("val_accuracy")) assertThat(found).anySatisfy(x -> assertThat(x.given()).contains("val_accuracy"));
            else assertThat(found).as(monitor).isEmpty();
        }
    }

    @Test
    void binaryCrossEntropyRegressesValuesInTheUnitInterval() {
        Random rng = new Random(3);
        StringBuilder csv = new StringBuilder("x,p\n");
        for (int i = 0; i < 300; i++) {
            double x = rng.nextDouble() * 4 - 2;
            csv.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f%n", x, 1 / (1 + Math.exp(-2 * x))));
        }
        Table t = table(csv.toString());
        DatasetDescription d = Descriptions.of(t);
        Plan plan = new Plan(ModelSpec.of("binary_crossentropy", LayerSpec.dense(1, "sigmoid")), null, null, null, false, null, 0);
        assertThat(Trainer.predictsClasses(plan, d, "p")).isFalse();
        assertThat(Trainer.check(plan, d, "p")).isEmpty();

        Dataset train = DatasetBuilder.training(t, "p", false, null);
        TrainingResult r = new Trainer().train(TrainingRequest.of(train, plan.model(), TrainingSpec.of("adam", 0.05, 80, 32, 1)));
        EpochMetrics last = r.history().get(r.history().size() - 1);
        assertThat(last.metrics()).containsKeys("loss", "mse", "mae", "binary_accuracy");
        assertThat(last.metrics().get("mae")).isLessThan(0.05);
        assertThat(r.model().predict(new float[]{1f}, 1).get(0).value()).isCloseTo(1 / (1 + Math.exp(-2)), org.assertj.core.data.Offset.offset(0.05));

        DatasetDescription outside = Descriptions.of(table("x,p\n1,0.5\n2,1.5\n3,0.25\n"));
        assertThat(Trainer.check(plan, outside, "p")).anySatisfy(x -> {
            assertThat(x.field()).isEqualTo("target");
            assertThat(x.given()).contains("1.5");
        });
    }
}
