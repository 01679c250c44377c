package io.trainserve.service.prediction;

import io.trainserve.engine.InputSchema;
import io.trainserve.engine.InvalidInputException;
import java.util.List;
import java.util.Map;

/**
 * One instance as generic JSON values (lists, maps, numbers, strings) encoded with the model's schema: the
 * one place the field-level problems ({@code instances[i]}, {@code instances[i].x2}) come from. The
 * streaming reader decodes well-formed numbers straight into its buffer and comes here for anything else.
 */
final class InstanceEncoding {
    private InstanceEncoding() {
    }

    static float[] encode(InputSchema schema, String path, Object instance) {
        if (instance instanceof List<?> values) return schema.encode(path, values);
        if (instance instanceof Map<?, ?> byName && !schema.isImage()) {
            @SuppressWarnings("unchecked") Map<String, ?> named = (Map<String, ?>) byName;
            return schema.encode(path, named);
        }
        throw new InvalidInputException(path, describe(instance), schema.isImage()
                ? "an image: a list of " + schema.width() + " numbers or nested lists of shape " + schema.imageShape()
                : "a list of " + schema.features().size() + " values in the order " + names(schema)
                  + ", or an object with the keys " + names(schema));
    }

    static List<String> names(InputSchema schema) {
        return schema.features().stream().map(InputSchema.Feature::name).toList();
    }

    static String describe(Object value) {
        if (value == null) return "null";
        if (value instanceof String s) return "\"" + (s.length() > 50 ? s.substring(0, 50) + "…" : s) + "\"";
        if (value instanceof Map) return "an object";
        return value.toString();
    }
}
