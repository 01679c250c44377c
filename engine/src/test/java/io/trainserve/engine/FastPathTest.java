package io.trainserve.engine;

import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.TrainingSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The plain-Java few-row predict path gives the ND4J path's outputs, for every head and hidden layer kind it covers. */
class FastPathTest {

    private static void assertPathsAgree(Model m, Dataset d) {
        float[] scaled = m.parts().scaling().apply(d.features());
        for (int i = 0; i < d.size(); i++) {
            float[] row = java.util.Arrays.copyOfRange(scaled, i * d.width(), (i + 1) * d.width());
            float[] fast = m.fastOutputs(row, 1), nd4j = m.batchOutputs(row, 1);
            assertThat(fast).hasSameSizeAs(nd4j);
            for (int j = 0; j < fast.length; j++) assertThat(fast[j]).as("row %d output %d", i, j).isCloseTo(nd4j[j], within(2e-5f * Math.max(1, Math.abs(nd4j[j]))));
        }
    }

    @Test
    void softmaxMlpWithBatchNormAndDropout() {
        ModelSpec spec = ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.dense(16, "elu"), LayerSpec.batchNorm(), LayerSpec.dropout(0.3),
                LayerSpec.dense(8, "leaky_relu").withAlpha(0.1), LayerSpec.dense(3, "softmax"));
        Model m = new Trainer().train(TrainingRequest.of(ModelBundleTest.blobs(200, 1), spec, TrainingSpec.of("adam", 0.01, 3, 32, 1))
                .withPreprocessing(PreprocessingSpec.scaling("minmax"))).model();
        assertPathsAgree(m, ModelBundleTest.blobs(20, 2));
    }

    /**
     * Image-like rows, about half the pixels zero in a different pattern per row, so the nonzero
     * inputs come in counts with every remainder modulo the four inputs the loop takes per pass.
     */
    @Test
    void sparseImageRowsThroughReluLayers() {
        Dataset images = sparseImages(120, 5);
        assertPathsAgree(sparseImageModel(images), images);
    }

    /** A batch large enough to be scaled and copied in parts on all cores gives what batches of 100 give. */
    @Test
    void largeBatchesScaledInPartsMatchSmallBatches() {
        Dataset train = sparseImages(120, 5), many = sparseImages(5000, 6);
        Model m = sparseImageModel(train);
        int width = many.width(), units = 3;
        float[] whole = m.outputs(many.features(), many.size());
        for (int first = 0; first < many.size(); first += 100) {
            float[] part = m.outputs(java.util.Arrays.copyOfRange(many.features(), first * width, (first + 100) * width), 100);
            for (int k = 0; k < part.length; k++) {
                assertThat(whole[first * units + k]).as("row %d output %d", first + k / units, k % units).isCloseTo(part[k], within(1e-5f));
            }
        }
    }

    private static Dataset sparseImages(int rows, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        int width = 6 * 7;
        float[] pixels = new float[rows * width];
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < width; j++) pixels[i * width + j] = r.nextInt(2) == 0 ? 0 : r.nextInt(1, 256);
            labels[i] = (int) (pixels[i * width] + pixels[i * width + 1]) % 3;
        }
        return new Dataset(pixels, rows, InputSchema.image(1, 6, 7),
                new Target.Classes("label", labels, java.util.List.of("a", "b", "c")), null);
    }

    private static Model sparseImageModel(Dataset images) {
        ModelSpec spec = ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.flatten(), LayerSpec.dense(37, "relu"),
                LayerSpec.dense(19, "relu"), LayerSpec.dense(3, "softmax"));
        return new Trainer().train(TrainingRequest.of(images, spec, TrainingSpec.of("adam", 0.01, 3, 20, 1))
                .withPreprocessing(PreprocessingSpec.scaling("pixel"))).model();
    }

    @Test
    void sigmoidBinaryAndTanhRegression() {
        Model xor = new Trainer().train(TrainingRequest.of(Fixtures.xor(),
                ModelSpec.of("binary_crossentropy", LayerSpec.dense(8, "tanh"), LayerSpec.dense(1, "sigmoid")), TrainingSpec.of("adam", 0.05, 50, 4, 1))).model();
        assertPathsAgree(xor, Fixtures.xor());
        Model reg = new Trainer().train(TrainingRequest.of(Fixtures.quizScores(),
                ModelSpec.of("mse", LayerSpec.dense(4, "relu"), LayerSpec.dense(1, "linear")), TrainingSpec.of("adam", 0.1, 20, 5, 1))
                .withPreprocessing(PreprocessingSpec.scaling("standardize"))).model();
        assertPathsAgree(reg, Fixtures.quizScores());
    }

    @Test
    void batchPathReusesItsInputBuffersWithoutMixingCalls() {
        ModelSpec spec = ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.dense(16, "relu"), LayerSpec.dense(3, "softmax"));
        Model m = new Trainer().train(TrainingRequest.of(ModelBundleTest.blobs(200, 1), spec, TrainingSpec.of("adam", 0.01, 3, 32, 1))).model();
        Dataset a = ModelBundleTest.blobs(20, 2), b = ModelBundleTest.blobs(20, 3);
        float[] xa = m.parts().scaling().apply(a.features()), xb = m.parts().scaling().apply(b.features());
        float[] first = m.batchOutputs(xa, 20);
        float[] other = m.batchOutputs(xb, 20);
        float[] fewer = m.batchOutputs(java.util.Arrays.copyOf(xb, 12 * a.width()), 12);
        assertThat(m.batchOutputs(xa, 20)).as("same rows again, after other rows of the same batch size").containsExactly(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(fewer).containsExactly(java.util.Arrays.copyOf(other, fewer.length), within(1e-6f));
        for (int i = 0; i < 20; i++) {
            float[] row = java.util.Arrays.copyOfRange(xa, i * a.width(), (i + 1) * a.width());
            float[] single = m.batchOutputs(row, 1);
            for (int j = 0; j < 3; j++) assertThat(single[j]).isCloseTo(first[i * 3 + j], within(1e-6f));
        }
    }
}
