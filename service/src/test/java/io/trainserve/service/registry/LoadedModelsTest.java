package io.trainserve.service.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainserve.engine.Dataset;
import io.trainserve.engine.InputSchema;
import io.trainserve.engine.Model;
import io.trainserve.engine.Target;
import io.trainserve.engine.Trainer;
import io.trainserve.engine.TrainingRequest;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.TrainingSpec;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The serving cache of loaded bundles keeps the most recently used ones. */
class LoadedModelsTest {
    static Model model;

    @BeforeAll
    static void train() {
        Dataset data = new Dataset(new float[]{0, 0, 0, 1, 1, 0, 1, 1}, 4, InputSchema.numeric(List.of("a", "b")),
                new Target.Classes("y", new int[]{0, 1, 1, 0}, List.of("0", "1")), "xor");
        model = new Trainer().train(TrainingRequest.of(data, ModelSpec.of("sparse_categorical_crossentropy",
                LayerSpec.dense(2, "softmax")), TrainingSpec.of("sgd", 0.1, 1, 4, 1))).model();
    }

    @Test
    void theLeastRecentlyUsedVersionGoesWhenFull() {
        LoadedModels loaded = new LoadedModels();
        for (int v = 1; v <= LoadedModels.CAPACITY; v++) loaded.put("m", v, model);
        assertThat(loaded.get("m", 1)).isSameAs(model); // version 1 is now the most recently used
        loaded.put("m", LoadedModels.CAPACITY + 1, model);

        assertThat(loaded.get("m", 2)).as("the least recently used version").isNull();
        assertThat(loaded.get("m", 1)).isSameAs(model);
        for (int v = 3; v <= LoadedModels.CAPACITY + 1; v++) assertThat(loaded.get("m", v)).as("version %d", v).isSameAs(model);
    }

    @Test
    void aRemovedVersionIsNoLongerServedFromMemory() {
        LoadedModels loaded = new LoadedModels();
        loaded.put("m", 1, model);
        loaded.put("other", 1, model);
        loaded.remove("m", 1);
        assertThat(loaded.get("m", 1)).isNull();
        assertThat(loaded.get("other", 1)).isSameAs(model);
    }
}
