package io.trainserve.engine;

import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.TrainingSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Models exported as Keras .h5 files compute, in numpy reading the file with h5py, what predict computes;
 * and the importer reads them back to the same outputs.
 */
class KerasExportTest {
    @TempDir
    Path dir;

    @Test
    void mlpWithScalingBatchNormAndDropoutExportsWhatKerasWouldCompute() throws Exception {
        ModelSpec spec = ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.dense(12, "relu", "he"), LayerSpec.batchNorm(),
                LayerSpec.dropout(0.3), LayerSpec.dense(8, "tanh"), LayerSpec.dense(3, "softmax"));
        Model model = new Trainer().train(TrainingRequest.of(ModelBundleTest.blobs(240, 3), spec, TrainingSpec.of("adam", 0.01, 4, 32, 5))
                .withPreprocessing(PreprocessingSpec.scaling("standardize"))).model();
        Dataset raw = ModelBundleTest.blobs(30, 17);

        byte[] h5 = KerasExport.toH5(model);

        float[] expected = model.outputs(raw.features(), raw.size());
        assertClose(KerasFixtures.predict(dir, h5, raw.features(), raw.size()), expected, 3);
        Model back = KerasImport.read(h5, KerasImport.Options.named("exported.h5"));
        assertThat(back.parts().scaling().kind()).isEqualTo("fixed");
        assertThat(back.parts().training().optimizer()).isEqualTo("adam");
        assertThat(back.parts().training().learningRate()).isEqualTo(0.01);
        assertClose(back.outputs(raw.features(), raw.size()), expected, 3);
    }

    @Test
    void cnnExportsChannelsLastAndComputesWhatPredictComputesOnTheSameImages() throws Exception {
        Model model = new Trainer().train(TrainingRequest.of(OnnxExportTest.images(90, 11), OnnxExportTest.CNN, TrainingSpec.of("sgd", 0.05, 3, 30, 5))).model();
        Dataset raw = OnnxExportTest.images(8, 23);

        byte[] h5 = KerasExport.toH5(model);

        float[] expected = model.outputs(raw.features(), raw.size());
        // Keras takes the same images channels-last
        int c = 2, h = 7, w = 9;
        float[] nhwc = new float[raw.features().length];
        for (int n = 0; n < raw.size(); n++) {
            for (int ch = 0; ch < c; ch++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
                nhwc[n * c * h * w + (y * w + x) * c + ch] = raw.features()[n * c * h * w + (ch * h + y) * w + x];
            }
        }
        assertClose(KerasFixtures.predict(dir, h5, nhwc, raw.size()), expected, 3);
        Model back = KerasImport.read(h5, KerasImport.Options.named("exported.h5"));
        assertThat(back.inputSchema().imageShape()).containsExactly(2, 7, 9);
        assertThat(back.parts().training().optimizer()).isEqualTo("sgd");
        assertClose(back.outputs(raw.features(), raw.size()), expected, 3);
    }

    /** Keras' LSTM and GRU (reset_after), batch norm over the features of each step, Flatten, and the scaling shaped (timesteps, features). */
    @Test
    void sequenceModelsExportAsKerasLstmAndGru() throws Exception {
        ModelSpec spec = new ModelSpec(java.util.List.of(LayerSpec.lstm(5, true), LayerSpec.batchNorm(), LayerSpec.dropout(0.2),
                LayerSpec.gru(4, true).withDropout(0.1), LayerSpec.flatten(), LayerSpec.dense(2, "softmax")),
                "sparse_categorical_crossentropy", java.util.List.of(16, 1));
        Model model = new Trainer().train(TrainingRequest.of(SequenceTrainingTest.waves(60, 1), spec, TrainingSpec.of("adam", 0.01, 2, 16, 3))
                .withPreprocessing(PreprocessingSpec.scaling("standardize"))).model();
        Dataset raw = SequenceTrainingTest.waves(12, 5);

        byte[] h5 = KerasExport.toH5(model);

        float[] expected = model.outputs(raw.features(), raw.size());
        assertClose(KerasFixtures.predict(dir, h5, raw.features(), raw.size()), expected, 2);
        Model back = KerasImport.read(h5, KerasImport.Options.named("exported.h5"));
        assertThat(back.spec().inputShape()).containsExactly(16, 1);
        assertThat(back.spec().layers()).extracting(LayerSpec::type).containsExactly("lstm", "batch_norm", "dropout", "gru", "flatten", "dense");
        assertClose(back.outputs(raw.features(), raw.size()), expected, 2);
    }

    @Test
    void embeddingModelsExportAsKerasEmbedding() throws Exception {
        for (LayerSpec[] body : new LayerSpec[][]{{LayerSpec.gru(4, false)}, {LayerSpec.globalAveragePooling1d(), LayerSpec.dense(4, "relu")}}) {
            java.util.List<LayerSpec> layers = new java.util.ArrayList<>(java.util.List.of(LayerSpec.embedding(12, 3)));
            layers.addAll(java.util.List.of(body));
            layers.add(LayerSpec.dense(2, "softmax"));
            Model model = new Trainer().train(TrainingRequest.of(TokenSequenceTest.marked(40, 1), new ModelSpec(layers, "sparse_categorical_crossentropy"),
                    TrainingSpec.of("adam", 0.02, 2, 8, 3))).model();
            Dataset raw = TokenSequenceTest.marked(10, 7);

            byte[] h5 = KerasExport.toH5(model);

            float[] expected = model.outputs(raw.features(), raw.size());
            assertClose(KerasFixtures.predict(dir, h5, raw.features(), raw.size()), expected, 2);
            Model back = KerasImport.read(h5, KerasImport.Options.named("exported.h5"));
            assertThat(back.tokenIds()).isEqualTo(new TokenIds(12));
            assertClose(back.outputs(raw.features(), raw.size()), expected, 2);
        }
    }

    @Test
    void activationsKeras2CannotNameAreRefusedNamingTheLayer() {
        Model model = new Trainer().train(TrainingRequest.of(Fixtures.xor(), ModelSpec.of("binary_crossentropy",
                LayerSpec.dense(4, "leaky_relu"), LayerSpec.dense(1, "sigmoid")), TrainingSpec.of("adam", 0.05, 2, 4, 1))).model();
        assertThatThrownBy(() -> KerasExport.toH5(model)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("layer 0 (dense) has activation leaky_relu");
    }

    private static void assertClose(float[] actual, float[] expected, int units) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("row %d output %d", i / units, i % units).isCloseTo(expected[i], within(1e-5));
        }
    }
}
