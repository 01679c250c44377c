package io.trainserve.engine.spec;

import java.util.List;

/**
 * A sequential network and its loss: {@code {"layers": [...], "loss": "sparse_categorical_crossentropy"}}.
 *
 * @param inputShape optional {@code [timesteps, features]}: each row's numeric columns, time-major
 *                   ({@code t0f0, t0f1, ..., t1f0, ...}), are read as a sequence (for lstm layers)
 */
public record ModelSpec(List<LayerSpec> layers, String loss, List<Integer> inputShape) {
    public ModelSpec(List<LayerSpec> layers, String loss) {
        this(layers, loss, null);
    }

    public static ModelSpec of(String loss, LayerSpec... layers) {
        return new ModelSpec(List.of(layers), loss);
    }

    public ModelSpec withInputShape(List<Integer> shape) {
        return new ModelSpec(layers, loss, shape);
    }
}
