package io.trainserve.engine.interop;

import io.trainserve.engine.UnsupportedModelException;
import io.trainserve.engine.spec.TrainingSpec;
import tools.jackson.databind.JsonNode;

import java.util.Map;

/**
 * A Keras {@code training_config}'s loss and optimizer in our vocabulary, kept so the imported model
 * fine-tunes as it was compiled. A file saved without compiling has none: the loss then follows the
 * output activation (softmax → sparse categorical cross-entropy, sigmoid → binary, else mse).
 */
public final class KerasTraining {
    private static final Map<String, String> LOSSES = Map.ofEntries(
            Map.entry("sparse_categorical_crossentropy", "sparse_categorical_crossentropy"),
            Map.entry("sparsecategoricalcrossentropy", "sparse_categorical_crossentropy"),
            Map.entry("categorical_crossentropy", "categorical_crossentropy"),
            Map.entry("categoricalcrossentropy", "categorical_crossentropy"),
            Map.entry("binary_crossentropy", "binary_crossentropy"),
            Map.entry("binarycrossentropy", "binary_crossentropy"),
            Map.entry("mse", "mse"), Map.entry("mean_squared_error", "mse"), Map.entry("meansquarederror", "mse"),
            Map.entry("mae", "mae"), Map.entry("mean_absolute_error", "mae"), Map.entry("meanabsoluteerror", "mae"));
    private static final Map<String, String> OPTIMIZERS = Map.of("sgd", "sgd", "adam", "adam", "rmsprop", "rmsprop",
            "adagrad", "adagrad", "adadelta", "adadelta");

    private KerasTraining() {
    }

    /** Our loss name for the file's compiled loss, or from the output activation when it was not compiled. */
    public static String loss(JsonNode trainingConfig, String outputActivation, int outputUnits) {
        JsonNode loss = trainingConfig == null ? null : trainingConfig.path("loss");
        if (loss == null || loss.isMissingNode() || loss.isNull()) {
            if ("softmax".equals(outputActivation)) return "sparse_categorical_crossentropy";
            return "sigmoid".equals(outputActivation) && outputUnits == 1 ? "binary_crossentropy" : "mse";
        }
        String name;
        if (loss.isString()) {
            name = loss.asString();
        } else if (loss.isObject() && loss.has("class_name")) {
            name = loss.path("class_name").asString();
            if (loss.path("config").path("from_logits").asBoolean(false)) {
                throw new UnsupportedModelException("loss " + name + " with from_logits=True is not supported; supported: losses on "
                        + "the output layer's probabilities (from_logits=False), with softmax or sigmoid on the last layer");
            }
        } else {
            throw new UnsupportedModelException("loss " + loss + " (one loss per output) is not supported; supported: one of " + LOSSES.keySet());
        }
        String ours = LOSSES.get(name.toLowerCase(java.util.Locale.ROOT));
        if (ours == null) throw new UnsupportedModelException("loss '" + name + "' is not supported; supported: " + String.join(", ", new java.util.TreeSet<>(LOSSES.keySet())));
        return ours;
    }

    /** The compiled optimizer and learning rate, or null (the engine's defaults) when there is none or it has no equivalent here. */
    public static TrainingSpec training(JsonNode trainingConfig) {
        JsonNode opt = trainingConfig == null ? null : trainingConfig.path("optimizer_config");
        if (opt == null || !opt.isObject()) return null;
        String cls = opt.path("class_name").asString("").toLowerCase(java.util.Locale.ROOT);
        if (cls.contains(">")) cls = cls.substring(cls.lastIndexOf('>') + 1); // "Custom>Adam" in some TF versions
        String ours = OPTIMIZERS.get(cls);
        if (ours == null) return null;
        JsonNode c = opt.path("config");
        Double momentum = null;
        if (ours.equals("sgd") && c.path("momentum").asDouble(0) > 0) {
            ours = c.path("nesterov").asBoolean(false) ? "nesterov" : "momentum";
            momentum = c.path("momentum").asDouble();
        }
        JsonNode lr = c.has("learning_rate") ? c.path("learning_rate") : c.path("lr");
        Double learningRate = lr.isNumber() ? lr.asDouble() : null; // a schedule (an object) is left to our default
        return new TrainingSpec(ours, learningRate, null, null, null, null, momentum, null, null);
    }
}
