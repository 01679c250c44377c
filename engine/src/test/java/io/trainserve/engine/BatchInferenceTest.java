package io.trainserve.engine;

import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.TrainingSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Batch predict splits a batch by rows over the cores, each core running the whole network on its
 * block (its products then run as one call instead of split by columns, which can change the last
 * bit). Outputs must be those of the whole batch through one network to float rounding, and the
 * same bit for bit whatever else runs at the time. On one core there is nothing to split: these
 * tests then check the single path only.
 */
class BatchInferenceTest {
    private static final int SIDE = 28;

    @Test
    void rowBlocksOnAllCoresGiveTheWholeBatchsOutputs() {
        Dataset train = images(150, 1), batch = images(301, 2);
        Model m = trained(train, ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.flatten(),
                LayerSpec.dense(256, "relu"), LayerSpec.dense(64, "relu"), LayerSpec.dense(3, "softmax")));
        float[] split = m.outputs(batch.features(), batch.size());
        float[] whole = m.batchOutputs(m.parts().scaling().apply(batch.features()), batch.size());
        assertClose(split, whole);
        assertThat(m.outputs(batch.features(), batch.size())).as("the same batch again").containsExactly(split);
        assertClose(m.outputs(Arrays.copyOf(batch.features(), 40 * batch.width()), 40), Arrays.copyOf(whole, 40 * 3));
    }

    @Test
    void convolutionalModelsToo() {
        Dataset train = images(60, 3), batch = images(70, 4);
        Model m = trained(train, ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.conv2d(8, 3, "relu"),
                LayerSpec.maxPool2d(2), LayerSpec.flatten(), LayerSpec.dense(3, "softmax")));
        float[] whole = m.batchOutputs(m.parts().scaling().apply(batch.features()), batch.size());
        assertClose(m.outputs(batch.features(), batch.size()), whole);
    }

    @Test
    void concurrentCallersGetTheSameOutputs() throws Exception {
        Dataset train = images(150, 5), batch = images(256, 6);
        Model m = trained(train, ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.flatten(),
                LayerSpec.dense(256, "relu"), LayerSpec.dense(3, "softmax")));
        // whole batches split by rows, and batches too small for that whose products split by columns
        float[] few = Arrays.copyOf(batch.features(), 25 * batch.width());
        float[] expected = m.outputs(batch.features(), batch.size()), expectedFew = m.outputs(few, 25);
        assertClose(expected, m.batchOutputs(m.parts().scaling().apply(batch.features()), batch.size()));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> calls = new ArrayList<>(), fewCalls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(pool.submit(() -> m.outputs(batch.features(), batch.size())));
                fewCalls.add(pool.submit(() -> m.outputs(few, 25)));
            }
            for (Future<float[]> call : calls) assertThat(call.get()).containsExactly(expected);
            for (Future<float[]> call : fewCalls) assertThat(call.get()).as("25 rows").containsExactly(expectedFew);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("output %d", i).isCloseTo(expected[i], within(1e-6f));
        }
    }

    private static Model trained(Dataset train, ModelSpec spec) {
        return new Trainer().train(TrainingRequest.of(train, spec, TrainingSpec.of("adam", 0.01, 1, 50, 1))
                .withPreprocessing(PreprocessingSpec.scaling("pixel"))).model();
    }

    /** Sparse random images with labels that depend on their pixels. */
    private static Dataset images(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int width = SIDE * SIDE;
        float[] pixels = new float[rows * width];
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < width; j++) pixels[i * width + j] = r.nextInt(3) == 0 ? r.nextInt(1, 256) : 0;
            labels[i] = (int) (pixels[i * width + 300] + pixels[i * width + 400]) % 3;
        }
        return new Dataset(pixels, rows, InputSchema.image(1, SIDE, SIDE),
                new Target.Classes("label", labels, List.of("a", "b", "c")), null);
    }
}
