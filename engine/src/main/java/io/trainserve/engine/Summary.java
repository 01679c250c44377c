package io.trainserve.engine;

import java.util.List;

/** Layers with their output shapes and parameter counts, like Keras' {@code model.summary()}. */
public record Summary(List<Row> layers, long trainableParams, long nonTrainableParams) {

    public record Row(String name, String type, String outputShape, long params) {
    }

    public long totalParams() {
        return trainableParams + nonTrainableParams;
    }

    /** The familiar text table. */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-28s%-26s%12s%n", "Layer (type)", "Output Shape", "Param #"));
        b.append("=".repeat(66)).append('\n');
        for (Row r : layers) {
            b.append(String.format("%-28s%-26s%12s%n", r.name() + " (" + r.type() + ")", r.outputShape(), String.format("%,d", r.params())));
        }
        b.append("=".repeat(66)).append('\n');
        b.append(String.format("Total params: %,d%nTrainable params: %,d%nNon-trainable params: %,d%n",
                totalParams(), trainableParams, nonTrainableParams));
        return b.toString();
    }
}
