package io.trainserve.engine;

import io.trainserve.engine.nn.NdArrays;
import io.trainserve.engine.spec.CallbacksSpec;
import io.trainserve.engine.spec.EarlyStoppingSpec;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.TrainingSpec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Save/restore, resume from a checkpoint, fine-tuning and concurrent predict. */
class ModelBundleTest {
    static final ModelSpec MLP = ModelSpec.of("sparse_categorical_crossentropy",
            LayerSpec.dense(16, "relu", "he"), LayerSpec.batchNorm(), LayerSpec.dropout(0.2), LayerSpec.dense(3, "softmax"));

    static Dataset blobs(int n, long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        float[][] x = new float[n][4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 4; j++) x[i][j] = (float) (y[i] * 2.0 * (j % 2 == 0 ? 1 : -1) + rng.nextGaussian() * 1.5 + 10);
        }
        return Fixtures.classes(x, y, 3);
    }

    private static TrainingRequest request(int epochs) {
        return TrainingRequest.of(blobs(300, 3), MLP, TrainingSpec.of("adam", 0.01, epochs, 32, 5))
                .withValidationSplit(0.2).withPreprocessing(PreprocessingSpec.scaling("standardize"));
    }

    @Test
    void savedAndLoadedModelPredictsIdenticallyAndKeepsEverythingNeeded() throws IOException {
        Model model = new Trainer().train(request(5)).model();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        model.save(bytes);
        Model loaded = Model.load(new ByteArrayInputStream(bytes.toByteArray()));

        Dataset d = blobs(50, 9);
        assertThat(loaded.outputs(d.features(), d.size())).containsExactly(model.outputs(d.features(), d.size()));
        assertThat(loaded.spec()).isEqualTo(model.spec());
        assertThat(loaded.classNames()).containsExactly("0", "1", "2");
        assertThat(loaded.inputSchema()).isEqualTo(model.inputSchema());
        assertThat(loaded.parts().scaling().kind()).isEqualTo("standardize");
        assertThat(loaded.parts().scaling().scale()).containsExactly(model.parts().scaling().scale());
        assertThat(loaded.parts().updaterState()).isNotNull();
        assertThat(NdArrays.read(loaded.parts().updaterState())).containsExactly(NdArrays.read(model.parts().updaterState()));
        assertThat(loaded.parts().iteration()).isEqualTo(model.parts().iteration()).isGreaterThan(0);
        assertThat(loaded.metrics()).isEqualTo(model.metrics()).containsKeys("loss", "accuracy", "val_loss", "val_accuracy");
        Provenance p = loaded.provenance();
        assertThat(p.datasetChecksum()).isEqualTo("fixture");
        assertThat(p.seed()).isEqualTo(5);
        assertThat(p.engineVersion()).matches("\\d+\\.\\d+\\.\\d+.*"); // the build's version, filtered in
        assertThat(p.nd4jVersion()).isEqualTo("1.0.0-M2.1");
        assertThat(p.jvm()).contains(System.getProperty("java.version"));
        assertThat(p.trainedAt()).isNotBlank();
        assertThat(loaded.history()).hasSize(5);
        assertThat(loaded.summary().trainableParams()).isEqualTo(model.summary().trainableParams());
    }

    @Test
    void notABundleIsRejected() {
        assertThatThrownBy(() -> Model.load(new ByteArrayInputStream("hello".getBytes()))).isInstanceOf(IOException.class);
    }

    @Test
    void resumingFromAnEpochCheckpointEndsWithTheSameWeightsAsAnUninterruptedRun() throws IOException {
        List<Checkpoint> saved = new ArrayList<>();
        TrainingResult uninterrupted = new Trainer().train(request(6), TrainingListener.NONE, saved::add, () -> false);
        assertThat(saved).hasSize(6);

        // what a crashed worker leaves behind: the epoch-3 checkpoint, as bytes
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        saved.get(2).write(bytes);
        Checkpoint third = Checkpoint.read(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(third.epoch()).isEqualTo(3);

        TrainingResult resumed = new Trainer().train(request(6).resumingFrom(third));

        assertThat(resumed.history()).hasSize(6);
        assertThat(NdArrays.read(resumed.model().parts().params()))
                .containsExactly(NdArrays.read(uninterrupted.model().parts().params()));
        assertThat(NdArrays.read(resumed.model().parts().state()))
                .containsExactly(NdArrays.read(uninterrupted.model().parts().state()));
        assertThat(resumed.history().get(5).metrics()).isEqualTo(uninterrupted.history().get(5).metrics());
    }

    @Test
    void aCheckpointOnlyResumesItsOwnRun() {
        List<Checkpoint> saved = new ArrayList<>();
        new Trainer().train(request(2), TrainingListener.NONE, saved::add, () -> false);
        TrainingRequest other = request(2).withTraining(TrainingSpec.of("adam", 0.02, 2, 32, 5));
        assertThatThrownBy(() -> new Trainer().train(other.resumingFrom(saved.get(0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another run");
    }

    @Test
    void fineTuningFreezesTheFirstLayersAndTrainsTheRest() {
        Model base = new Trainer().train(request(3)).model();
        float[] before = NdArrays.read(base.parts().params());
        int firstLayerParams = 4 * 16 + 16;

        TrainingResult tuned = new Trainer().train(TrainingRequest.of(blobs(200, 11), null, TrainingSpec.of("adam", 0.01, 2, 32, 6))
                .withBaseModel(base, 1));

        float[] after = NdArrays.read(tuned.model().parts().params());
        for (int i = 0; i < firstLayerParams; i++) assertThat(after[i]).as("frozen parameter %d", i).isEqualTo(before[i]);
        int changed = 0;
        for (int i = firstLayerParams; i < after.length; i++) if (after[i] != before[i]) changed++;
        assertThat(changed).isGreaterThan((after.length - firstLayerParams) / 2);
        assertThat(tuned.model().parts().scaling().scale()).containsExactly(base.parts().scaling().scale());
        assertThat(tuned.model().provenance().baseModel()).isNotNull();
    }

    @Test
    void freezingMoreLayersThanMatchTheBaseModelIsRejected() {
        Model base = new Trainer().train(request(1)).model();
        ModelSpec differentBody = ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.dense(8, "relu"), LayerSpec.dense(3, "softmax"));
        assertThatThrownBy(() -> new Trainer().train(TrainingRequest.of(blobs(60, 1), differentBody, TrainingSpec.of("adam", 0.01, 1, 32, 6))
                .withBaseModel(base, 1)))
                .isInstanceOf(io.trainserve.engine.spec.InvalidSpecException.class).hasMessageContaining("freezeLayers");
    }

    @Test
    void concurrentPredictionsEqualSequentialOnes() throws Exception {
        Model model = new Trainer().train(request(2)).model();
        Dataset d = blobs(64, 21);
        float[] expected = model.outputs(d.features(), d.size());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<float[]>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) calls.add(() -> model.outputs(d.features(), d.size()));
            for (Future<float[]> f : pool.invokeAll(calls)) assertThat(f.get()).containsExactly(expected);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void earlyStoppingRestoresTheBestEpochAndSaysSo() {
        CallbacksSpec cb = new CallbacksSpec(new EarlyStoppingSpec("val_loss", 0.0, 2, "auto", true, null), null, null);
        TrainingResult r = new Trainer().train(request(200).withTraining(TrainingSpec.of("adam", 0.05, 200, 32, 5).withCallbacks(cb)));

        assertThat(r.stoppedEarly()).isTrue();
        assertThat(r.history().size()).isLessThan(200);
        double bestValLoss = r.history().stream().mapToDouble(h -> h.metrics().get("val_loss")).min().orElseThrow();
        assertThat(r.history().get(r.bestEpoch() - 1).metrics().get("val_loss")).isEqualTo(bestValLoss);
        assertThat(r.history().size()).isEqualTo(r.bestEpoch() + 2); // patience 2 after the best
        assertThat(r.model().metrics().get("val_loss")).isEqualTo(bestValLoss);
    }
}
