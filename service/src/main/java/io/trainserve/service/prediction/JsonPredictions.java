package io.trainserve.service.prediction;

import java.io.ByteArrayOutputStream;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a {@code PredictResponse} body straight from the network outputs with Jackson's streaming generator.
 * {@code probabilities=false} leaves out the per-class probabilities; {@code topK} keeps only the k most
 * likely classes (in falling order). A multi-label model answers {@code labels} (the label names whose
 * probability is at least {@code threshold}, in the target's order) and {@code probabilities} per label.
 */
final class JsonPredictions {
    /**
     * @param topK      0 for every class
     * @param threshold multi-label models: a label is on from this probability
     */
    record Options(boolean probabilities, int topK, double threshold) {
        static final Options ALL = new Options(true, 0, io.trainserve.engine.Prediction.DEFAULT_THRESHOLD);
    }

    private JsonPredictions() {
    }

    static byte[] write(JsonMapper json, String modelId, int version, Outputs out, int count, Options options) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + count * 48);
        try (JsonGenerator g = json.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringProperty("modelId", modelId);
            g.writeNumberProperty("version", version);
            g.writeArrayPropertyStart("predictions");
            for (int i = 0; i < count; i++) row(g, out, i, options);
            g.writeEndArray();
            g.writeEndObject();
        }
        return bytes.toByteArray();
    }

    static void row(JsonGenerator g, Outputs out, int i, Options options) {
        row(g, out, i, options, java.util.List.of(), null);
    }

    /** One prediction object; {@code echoNames}/{@code echoed} (may be null) are copied in front of it. */
    static void row(JsonGenerator g, Outputs out, int i, Options options, java.util.List<String> echoNames, String[] echoed) {
        g.writeStartObject();
        if (echoed != null) for (int k = 0; k < echoed.length; k++) g.writeStringProperty(echoNames.get(k), echoed[k]);
        if (out.anomalyDetector()) {
            g.writeNumberProperty("anomalyScore", out.anomalyScore(i));
            g.writeBooleanProperty("anomaly", out.anomaly(i));
        } else if (!out.classification()) {
            g.writeNumberProperty("value", out.value(i));
        } else if (out.multiLabel()) {
            labels(g, out, i, options);
        } else {
            int best = out.classIndex(i);
            g.writeStringProperty("label", out.classNames().get(best));
            g.writeNumberProperty("classIndex", best);
            if (options.probabilities()) {
                g.writeObjectPropertyStart("probabilities");
                if (options.topK() > 0) {
                    for (int k : out.top(i, options.topK())) g.writeNumberProperty(out.classNames().get(k), out.probability(i, k));
                } else {
                    for (int k = 0; k < out.classes(); k++) g.writeNumberProperty(out.classNames().get(k), out.probability(i, k));
                }
                g.writeEndObject();
            }
        }
        g.writeEndObject();
    }

    private static void labels(JsonGenerator g, Outputs out, int i, Options options) {
        g.writeArrayPropertyStart("labels");
        for (int j = 0; j < out.classes(); j++) {
            if (out.labelProbability(i, j) >= options.threshold()) g.writeString(out.classNames().get(j));
        }
        g.writeEndArray();
        if (options.probabilities()) {
            g.writeObjectPropertyStart("probabilities");
            for (int j = 0; j < out.classes(); j++) g.writeNumberProperty(out.classNames().get(j), out.labelProbability(i, j));
            g.writeEndObject();
        }
    }
}
