package io.trainserve.service.prediction;

import io.trainserve.engine.InputSchema;
import io.trainserve.engine.InvalidInputException;
import io.trainserve.engine.Model;
import io.trainserve.service.registry.ModelRegistry;
import io.trainserve.service.system.BadRequestException;
import io.trainserve.service.system.NotFoundException;
import io.trainserve.service.system.TooLargeException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Predicts with a model version (the latest unless one is named): each instance is encoded with the
 * model's input schema, by position or by column name, so errors name {@code instances[i]} and its field;
 * then the whole batch goes through the network at once. Every request is counted by outcome.
 */
@Component
class Predictor {
    private final ModelRegistry registry;
    private final PredictionMetrics metrics;
    private final PredictProperties properties;

    Predictor(ModelRegistry registry, PredictionMetrics metrics, PredictProperties properties) {
        this.registry = registry;
        this.metrics = metrics;
        this.properties = properties;
    }

    PredictResponse predict(String modelId, Integer requestedVersion, List<Object> instances) {
        long start = System.nanoTime();
        Optional<Integer> latest = registry.latest(modelId);
        String modelTag = latest.isPresent() ? modelId : PredictionMetrics.UNKNOWN;
        String versionTag = PredictionMetrics.NONE;
        try {
            int version = requestedVersion != null ? requestedVersion
                    : latest.orElseThrow(() -> new NotFoundException("model", modelId));
            Model model = registry.load(modelId, version);
            versionTag = Integer.toString(version);
            checkCount(instances);
            float[] encoded = encode(model.inputSchema(), instances);
            PredictResponse response = new PredictResponse(modelId, version, model.predict(encoded, instances.size()));
            metrics.latency(modelTag, versionTag, System.nanoTime() - start);
            metrics.instances(modelTag, instances.size());
            metrics.count(modelTag, versionTag, PredictionMetrics.Outcome.SUCCESS);
            return response;
        } catch (NotFoundException e) {
            metrics.count(modelTag, PredictionMetrics.NONE, PredictionMetrics.Outcome.NOT_FOUND);
            throw e;
        } catch (InvalidInputException | BadRequestException e) { // TooLargeException is a BadRequestException
            metrics.count(modelTag, versionTag, PredictionMetrics.Outcome.INVALID_INPUT);
            throw e;
        } catch (RuntimeException e) {
            metrics.count(modelTag, versionTag, PredictionMetrics.Outcome.ERROR);
            throw e;
        }
    }

    private void checkCount(List<Object> instances) {
        if (instances == null || instances.isEmpty()) {
            throw new BadRequestException("instances", instances == null ? "nothing" : "an empty list",
                    "a list of 1.." + properties.maxInstances() + " instances, each a list of values in feature order or an object of column name to value");
        }
        if (instances.size() > properties.maxInstances()) {
            throw new TooLargeException("instances", instances.size() + " instances",
                    "at most " + properties.maxInstances() + " instances per request; split them into several requests");
        }
    }

    /** Row-major, one-hot expanded, unscaled (the model applies its fitted scaling). */
    private static float[] encode(InputSchema schema, List<Object> instances) {
        int width = schema.width();
        float[] encoded = new float[instances.size() * width];
        for (int i = 0; i < instances.size(); i++) {
            String path = "instances[" + i + "]";
            Object instance = instances.get(i);
            float[] row;
            if (instance instanceof List<?> values) {
                row = schema.encode(path, values);
            } else if (instance instanceof Map<?, ?> byName && !schema.isImage()) {
                @SuppressWarnings("unchecked") Map<String, ?> named = (Map<String, ?>) byName;
                row = schema.encode(path, named);
            } else {
                throw new InvalidInputException(path, describe(instance), schema.isImage()
                        ? "an image: a list of " + width + " numbers or nested lists of shape " + schema.imageShape()
                        : "a list of " + schema.features().size() + " values in the order " + names(schema)
                          + ", or an object with the keys " + names(schema));
            }
            System.arraycopy(row, 0, encoded, i * width, width);
        }
        return encoded;
    }

    private static List<String> names(InputSchema schema) {
        return schema.features().stream().map(InputSchema.Feature::name).toList();
    }

    private static String describe(Object value) {
        if (value == null) return "null";
        if (value instanceof String s) return "\"" + (s.length() > 50 ? s.substring(0, 50) + "…" : s) + "\"";
        if (value instanceof Map) return "an object";
        return value.toString();
    }
}
