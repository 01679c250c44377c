package io.trainserve.engine.spec;

import java.util.List;

/** A sequential network and its loss: {@code {"layers": [...], "loss": "sparse_categorical_crossentropy"}}. */
public record ModelSpec(List<LayerSpec> layers, String loss) {
    public static ModelSpec of(String loss, LayerSpec... layers) {
        return new ModelSpec(List.of(layers), loss);
    }
}
