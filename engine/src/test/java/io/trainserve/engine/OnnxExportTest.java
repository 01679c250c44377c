package io.trainserve.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.TrainingSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Exported models run in ONNX Runtime on raw inputs and give what the engine's predict gives. */
class OnnxExportTest {
    private static final OrtEnvironment ORT = OrtEnvironment.getEnvironment();
    /** Every image layer: same and valid padding, batch norm over channels, relu and elu, flatten, dropout. */
    static final ModelSpec CNN = ModelSpec.of("sparse_categorical_crossentropy",
            LayerSpec.conv2d(4, 3, "relu").withPadding("same"), LayerSpec.batchNorm(), LayerSpec.maxPool2d(2).withPadding("same"),
            LayerSpec.conv2d(3, 2, "elu"), LayerSpec.maxPool2d(2), LayerSpec.flatten(), LayerSpec.dropout(0.2),
            LayerSpec.dense(3, "softmax"));

    @Test
    void mlpWithScalingBatchNormDropoutAndEveryActivationMatchesPredict() throws Exception {
        ModelSpec spec = ModelSpec.of("sparse_categorical_crossentropy",
                LayerSpec.dense(12, "relu", "he"), LayerSpec.batchNorm(), LayerSpec.dropout(0.3), LayerSpec.dense(8, "tanh"),
                LayerSpec.dense(8, "leaky_relu").withAlpha(0.1), LayerSpec.dense(6, "elu"), LayerSpec.dense(6, "sigmoid"),
                LayerSpec.dense(3, "softmax"));
        Model model = new Trainer().train(TrainingRequest.of(ModelBundleTest.blobs(240, 3), spec, TrainingSpec.of("adam", 0.01, 4, 32, 5))
                .withPreprocessing(PreprocessingSpec.scaling("standardize"))).model();
        Dataset raw = ModelBundleTest.blobs(40, 17);

        byte[] onnx = OnnxExport.toOnnx(model);

        try (OrtSession s = ORT.createSession(onnx, new OrtSession.SessionOptions())) {
            assertThat(s.getInputNames()).containsExactly("features");
            assertThat(s.getOutputNames()).containsExactly("probabilities");
            assertThat(((TensorInfo) s.getInputInfo().get("features").getInfo()).getShape()).containsExactly(-1L, 4L);
            assertThat(s.getMetadata().getCustomMetadata()).containsEntry("class_names", "[\"0\",\"1\",\"2\"]")
                    .containsEntry("scaling", "standardize");
            assertSameOutputs(s, model, raw.features(), raw.size(), 3);
        }
    }

    /** Multi-label: one independent sigmoid probability per label (also for a single label), the labels in the metadata. */
    @Test
    void multiLabelModelsExportOneProbabilityPerLabel() throws Exception {
        for (List<String> labels : List.of(List.of("sunny", "windy", "cold"), List.of("sunny"))) {
            Dataset train = io.trainserve.engine.data.DatasetBuilder.multiLabel(io.trainserve.engine.data.CsvTableReader.read(
                    new java.io.ByteArrayInputStream(MultiLabelTest.weatherCsv(120, 4).getBytes())), labels, null);
            Model model = new Trainer().train(TrainingRequest.of(train, ModelSpec.of("binary_crossentropy", LayerSpec.dense(8, "relu"),
                    LayerSpec.dense(labels.size(), "sigmoid")), TrainingSpec.of("adam", 0.01, 3, 32, 5))
                    .withPreprocessing(PreprocessingSpec.scaling("minmax"))).model();
            try (OrtSession s = ORT.createSession(OnnxExport.toOnnx(model), new OrtSession.SessionOptions())) {
                assertThat(s.getMetadata().getCustomMetadata()).containsEntry("multi_label", "true")
                        .containsEntry("class_names", labels.stream().map(l -> "\"" + l + "\"").toList().toString().replace(", ", ","));
                assertSameOutputs(s, model, train.features(), train.size(), labels.size());
            }
        }
    }

    @Test
    void cnnWithPixelScalingSamePaddingBatchNormAndPoolingMatchesPredict() throws Exception {
        ModelSpec spec = CNN;
        Dataset images = images(90, 11);
        Model model = new Trainer().train(TrainingRequest.of(images, spec, TrainingSpec.of("adam", 0.01, 3, 30, 5))).model();
        assertThat(model.parts().scaling().kind()).isEqualTo("pixel");
        Dataset raw = images(12, 23);

        try (OrtSession s = ORT.createSession(OnnxExport.toOnnx(model), new OrtSession.SessionOptions())) {
            assertThat(((TensorInfo) s.getInputInfo().get("features").getInfo()).getShape()).containsExactly(-1L, 2L * 7 * 9);
            assertSameOutputs(s, model, raw.features(), raw.size(), 3);
        }
    }

    @Test
    void binarySigmoidGivesBothClassesAndRegressionGivesValues() throws Exception {
        Model binary = new Trainer().train(TrainingRequest.of(Fixtures.xor(), ModelSpec.of("binary_crossentropy",
                LayerSpec.dense(4, "tanh"), LayerSpec.dense(1, "sigmoid")), TrainingSpec.of("adam", 0.05, 20, 4, 1))).model();
        Dataset xor = Fixtures.xor();
        try (OrtSession s = ORT.createSession(OnnxExport.toOnnx(binary), new OrtSession.SessionOptions())) {
            float[][] out = run(s, xor.features(), 4, 2);
            float[] p = binary.outputs(xor.features(), 4);
            for (int i = 0; i < 4; i++) {
                assertThat((double) out[i][1]).isCloseTo(p[i], within(1e-5));
                assertThat((double) out[i][0]).isCloseTo(1 - p[i], within(1e-5));
            }
        }
        Model regression = new Trainer().train(TrainingRequest.of(Fixtures.quizScores(), ModelSpec.of("mse", LayerSpec.dense(1, "linear")),
                TrainingSpec.of("sgd", 0.01, 5, 5, 1)).withPreprocessing(PreprocessingSpec.scaling("minmax"))).model();
        Dataset quiz = Fixtures.quizScores();
        try (OrtSession s = ORT.createSession(OnnxExport.toOnnx(regression), new OrtSession.SessionOptions())) {
            assertThat(s.getOutputNames()).containsExactly("values");
            assertSameOutputs(s, regression, quiz.features(), quiz.size(), 1);
        }
    }

    @Test
    void anAutoencoderExportsItsReconstructionWithTheThresholdInTheMetadata() throws Exception {
        TrainingRequest r = AnomalyDetectionTest.request(null).withTraining(TrainingSpec.of("adam", 0.01, 3, 32, 7));
        Model autoencoder = new Trainer().train(r).model();
        float[] probe = AnomalyDetectionTest.rows(5, true, 3);
        try (OrtSession s = ORT.createSession(OnnxExport.toOnnx(autoencoder), new OrtSession.SessionOptions())) {
            assertThat(s.getOutputNames()).containsExactly("values");
            assertSameOutputs(s, autoencoder, probe, 5, AnomalyDetectionTest.WIDTH);
            assertThat(s.getMetadata().getCustomMetadata()).containsEntry("task", "anomaly")
                    .containsEntry("anomaly_threshold", String.valueOf(autoencoder.anomalyDetector().threshold()));
        }
    }

    @Test
    void importedKerasModelsExportToWhatNumpyComputes(@TempDir Path dir) throws Exception {
        KerasFixtures.write(dir);
        for (String name : List.of("mlp", "cnn")) {
            Model m = KerasImport.read(Files.readAllBytes(dir.resolve(name + ".h5")), KerasImport.Options.named(name + ".h5"));
            var expected = KerasFixtures.expected(dir, name);
            var x = expected.get(name.equals("cnn") ? "inputsChannelsFirst" : "inputs");
            var p = expected.get("probabilities");
            try (OrtSession s = ORT.createSession(OnnxExport.toOnnx(m), new OrtSession.SessionOptions())) {
                float[][] out = run(s, KerasFixtures.rows(x), x.size(), p.get(0).size());
                for (int i = 0; i < x.size(); i++) {
                    for (int j = 0; j < p.get(0).size(); j++) {
                        assertThat((double) out[i][j]).as("%s row %d class %d", name, i, j).isCloseTo(p.get(i).get(j).asDouble(), within(1e-5));
                    }
                }
            }
        }
    }

    private static void assertSameOutputs(OrtSession s, Model model, float[] features, int count, int units) throws Exception {
        float[][] out = run(s, features, count, units);
        float[] expected = model.outputs(features, count);
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < units; j++) {
                assertThat((double) out[i][j]).as("row %d output %d", i, j).isCloseTo(expected[i * units + j], within(1e-5));
            }
        }
    }

    private static float[][] run(OrtSession s, float[] features, int count, int units) throws Exception {
        int width = features.length / count;
        float[][] rows = new float[count][width];
        for (int i = 0; i < count; i++) System.arraycopy(features, i * width, rows[i], 0, width);
        try (OnnxTensor in = OnnxTensor.createTensor(ORT, rows); OrtSession.Result r = s.run(Map.of("features", in))) {
            float[][] out = (float[][]) r.get(0).getValue();
            assertThat(out).hasNumberOfRows(count);
            assertThat(out[0]).hasSize(units);
            return out;
        }
    }

    /** 2 x 7 x 9 images of pixel values 0..255 whose class decides which half is bright. */
    static Dataset images(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int c = 2, h = 7, w = 9, size = c * h * w;
        float[] x = new float[n * size];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < size; j++) {
                int col = j % w;
                boolean bright = y[i] == 0 ? col < w / 2 : y[i] == 1 ? col >= w / 2 : (j / w) % h < h / 2;
                x[i * size + j] = (float) Math.floor(rng.nextDouble() * 80 + (bright ? 170 : 0));
            }
        }
        return new Dataset(x, n, InputSchema.image(c, h, w), new Target.Classes("y", y, List.of("0", "1", "2")), "images");
    }
}
