package io.trainserve.engine;

import io.trainserve.engine.InputSchema.Feature;
import io.trainserve.engine.InputSchema.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Encodes one predict-time input exactly as {@link io.trainserve.engine.data.DatasetBuilder} encoded the
 * training rows: numbers as they are, categories one-hot in schema order, images flattened row-major.
 * JSON types matter: a numeric feature takes a number, not the string "5".
 */
final class InputEncoder {
    private final InputSchema schema;

    InputEncoder(InputSchema schema) {
        this.schema = schema;
    }

    float[] encode(String path, List<?> values) {
        if (values == null) throw new InvalidInputException(whole(path), "null", expectedWhole());
        if (schema.isImage()) return encodeImage(path, values);
        List<Feature> features = schema.features();
        if (values.size() != features.size()) {
            throw new InvalidInputException(whole(path), count(values.size()),
                    count(features.size()) + ": " + features.stream().map(Feature::name).toList());
        }
        float[] out = new float[schema.width()];
        int offset = 0;
        for (int k = 0; k < features.size(); k++) {
            offset = put(features.get(k), values.get(k), qualify(path, features.get(k).name()), out, offset);
        }
        return out;
    }

    float[] encode(String path, Map<String, ?> byName) {
        if (byName == null) throw new InvalidInputException(whole(path), "null", expectedWhole());
        if (schema.isImage()) throw new InvalidInputException(whole(path), "an object", expectedWhole());
        List<Feature> features = schema.features();
        List<String> names = features.stream().map(Feature::name).toList();
        for (Map.Entry<String, ?> entry : byName.entrySet()) {
            if (!names.contains(entry.getKey())) {
                throw new InvalidInputException(qualify(path, entry.getKey()), describe(entry.getValue()),
                        "no such feature; the features are " + names);
            }
        }
        float[] out = new float[schema.width()];
        int offset = 0;
        for (Feature feature : features) {
            String field = qualify(path, feature.name());
            if (!byName.containsKey(feature.name()) && feature.fill() == null) throw new InvalidInputException(field, "nothing", expected(feature));
            offset = put(feature, byName.get(feature.name()), field, out, offset);
        }
        return out;
    }

    private static int put(Feature feature, Object given, String field, float[] out, int offset) {
        Object value = given == null && feature.fill() != null ? fillValue(feature) : given;
        if (feature.kind() == Kind.NUMERIC) {
            out[offset] = number(value, field);
            return offset + 1;
        }
        int category = value instanceof String s ? feature.categories().indexOf(s) : -1;
        if (category < 0) throw new InvalidInputException(field, describe(value), expected(feature));
        out[offset + category] = 1f;
        return offset + feature.width();
    }

    /** The training split's fill for a null or absent value, as the JSON value it stands for. */
    private static Object fillValue(Feature feature) {
        return feature.kind() == Kind.NUMERIC ? (Object) Float.parseFloat(feature.fill()) : feature.fill();
    }

    /** Images: a flat list of width() numbers, or nested lists [height][width] (one channel) or [channels][height][width]. */
    private float[] encodeImage(String path, List<?> values) {
        List<Integer> shape = schema.imageShape();
        float[] out = new float[schema.width()];
        boolean nested = !values.isEmpty() && values.get(0) instanceof List;
        if (!nested) {
            if (values.size() != out.length) throw new InvalidInputException(whole(path), count(values.size()), expectedWhole());
            for (int i = 0; i < out.length; i++) out[i] = number(values.get(i), path + "[" + i + "]");
            return out;
        }
        List<Integer> nestedShape = depth(values) == 2 && shape.get(0) == 1 ? shape.subList(1, 3) : shape;
        if (depth(values) != nestedShape.size()) {
            throw new InvalidInputException(whole(path), "lists nested " + depth(values) + " deep", expectedWhole());
        }
        flatten(values, nestedShape, 0, path, out, new int[1]);
        return out;
    }

    private static void flatten(List<?> node, List<Integer> shape, int dim, String field, float[] out, int[] next) {
        if (node.size() != shape.get(dim)) {
            throw new InvalidInputException(field.isEmpty() ? "input" : field, count(node.size()),
                    count(shape.get(dim)) + (dim + 1 < shape.size() ? " (lists)" : " (numbers)") + " for an image of shape " + shape);
        }
        for (int i = 0; i < node.size(); i++) {
            String child = field + "[" + i + "]";
            Object value = node.get(i);
            if (dim + 1 < shape.size()) {
                if (!(value instanceof List<?> list)) throw new InvalidInputException(child, describe(value), "a list of " + shape.get(dim + 1) + " values");
                flatten(list, shape, dim + 1, child, out, next);
            } else {
                out[next[0]++] = number(value, child);
            }
        }
    }

    private static int depth(Object value) {
        int depth = 0;
        while (value instanceof List<?> list) {
            depth++;
            value = list.isEmpty() ? null : list.get(0);
        }
        return depth;
    }

    private static float number(Object value, String field) {
        if (value instanceof Number n) {
            float f = n.floatValue();
            if (Float.isFinite(f)) return f;
            throw new InvalidInputException(field, describe(value), "a finite number within float32 range");
        }
        throw new InvalidInputException(field, describe(value), "a number");
    }

    private String expectedWhole() {
        if (!schema.isImage()) return count(schema.features().size()) + ": " + schema.features().stream().map(Feature::name).toList();
        List<Integer> shape = schema.imageShape();
        String nested = shape.get(0) == 1 ? shape.get(1) + " lists of " + shape.get(2) + " numbers" : "nested lists of shape " + shape;
        return "a list of " + schema.width() + " pixel values, or " + nested;
    }

    private static String expected(Feature feature) {
        String orNull = feature.fill() == null ? "" : " (or null for the training fill " + feature.fill() + ")";
        return (feature.kind() == Kind.NUMERIC ? "a number" : "one of " + feature.categories()) + orNull;
    }

    private static String whole(String path) {
        return path.isEmpty() ? "input" : path;
    }

    private static String qualify(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String count(int n) {
        return n + (n == 1 ? " value" : " values");
    }

    /** The value as the client wrote it in JSON, short. */
    static String describe(Object value) {
        if (value == null) return "null";
        if (value instanceof String s) return "\"" + (s.length() > 50 ? s.substring(0, 50) + "…" : s) + "\"";
        if (value instanceof Number || value instanceof Boolean) return value.toString();
        if (value instanceof List<?> list) return "a list of " + count(list.size());
        if (value instanceof Map) return "an object";
        return "a " + value.getClass().getSimpleName();
    }

    List<String> expandedNames() {
        List<String> names = new ArrayList<>(schema.width());
        if (schema.isImage()) {
            List<Integer> shape = schema.imageShape();
            for (int c = 0; c < shape.get(0); c++)
                for (int r = 0; r < shape.get(1); r++)
                    for (int col = 0; col < shape.get(2); col++)
                        names.add("pixel" + (shape.get(0) == 1 ? "" : "[" + c + "]") + "[" + r + "][" + col + "]");
            return names;
        }
        for (Feature f : schema.features()) {
            if (f.kind() == Kind.NUMERIC) names.add(f.name());
            else for (String category : f.categories()) names.add(f.name() + "=" + category);
        }
        return names;
    }
}
