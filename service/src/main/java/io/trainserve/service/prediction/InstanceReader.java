package io.trainserve.service.prediction;

import io.trainserve.engine.InputSchema;
import io.trainserve.engine.InputSchema.Feature;
import io.trainserve.service.system.BadRequestException;
import io.trainserve.service.system.TooLargeException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@code {"instances": [...]}} from the request bytes with Jackson's streaming parser, writing numbers
 * (and one-hot categories) straight into one float buffer: no tree, no boxed numbers, no per-row lists.
 * Anything the fast path does not expect (a string where a number goes, a wrong count, an unknown name,
 * nested image lists) is read as generic JSON for that one instance and encoded by {@link InstanceEncoding},
 * so problems name {@code instances[i]} and the feature exactly as before. Malformed JSON and unknown
 * properties surface as Jackson exceptions (the controller turns them into the usual 400 problems).
 */
final class InstanceReader {
    private final JsonMapper json;
    private final InputSchema schema;
    private final int maxInstances;
    private final int width;
    private final List<Feature> features;
    private final int[] offsets;
    private final Map<String, Integer> byName = new HashMap<>();

    InstanceReader(JsonMapper json, InputSchema schema, int maxInstances) {
        this.json = json;
        this.schema = schema;
        this.maxInstances = maxInstances;
        this.width = schema.width();
        this.features = schema.isImage() ? List.of() : schema.features();
        this.offsets = new int[features.size()];
        for (int k = 0, off = 0; k < features.size(); k++) {
            offsets[k] = off;
            off += features.get(k).width();
            byName.put(features.get(k).name(), k);
        }
    }

    static String allowed(int maxInstances) {
        return "a list of 1.." + maxInstances + " instances, each a list of values in feature order or an object of column name to value";
    }

    Rows read(InputStream body) {
        try (JsonParser p = json.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadRequestException("instances", "a body that is not a JSON object", "{\"instances\": [...]}");
            }
            Rows rows = null;
            for (String name = p.nextName(); name != null; name = p.nextName()) {
                if (!name.equals("instances")) {
                    UnrecognizedPropertyException e = UnrecognizedPropertyException.from(p, PredictRequest.class, name, List.of("instances"));
                    e.prependPath(PredictRequest.class, name);
                    throw e;
                }
                rows = instances(p);
            }
            if (rows == null || rows.count() == 0) {
                throw new BadRequestException("instances", rows == null ? "nothing" : "an empty list", allowed(maxInstances));
            }
            return rows;
        }
    }

    private Rows instances(JsonParser p) {
        JsonToken t = p.nextToken();
        if (t != JsonToken.START_ARRAY) {
            throw new BadRequestException("instances", t == JsonToken.VALUE_NULL ? "null" : "a single value", allowed(maxInstances));
        }
        float[] buf = new float[Math.max(width, 1) * 4];
        int count = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (count == maxInstances) {
                throw new TooLargeException("instances", "more than " + maxInstances + " instances",
                        "at most " + maxInstances + " instances per request; split them into several requests");
            }
            if ((count + 1) * width > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, (count + 1) * width));
            int base = count * width;
            String path = "instances[" + count + "]";
            if (t == JsonToken.START_ARRAY) {
                if (schema.isImage()) image(p, path, buf, base);
                else positional(p, path, buf, base);
            } else if (t == JsonToken.START_OBJECT && !schema.isImage()) {
                named(p, path, buf, base);
            } else {
                slow(path, generic(p), buf, base);
            }
            count++;
        }
        return new Rows(buf, count, width);
    }

    /** A tabular row in feature order. */
    private void positional(JsonParser p, String path, float[] buf, int base) {
        int k = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (k >= features.size() || !put(features.get(k), p, t, buf, base + offsets[k])) {
                List<Object> values = new ArrayList<>(features.size() + 1);
                for (int j = 0; j < k; j++) values.add(decoded(j, buf, base));
                values.add(generic(p));
                while (p.nextToken() != JsonToken.END_ARRAY) values.add(generic(p));
                slow(path, values, buf, base);
                return;
            }
            k++;
        }
        if (k != features.size()) {
            List<Object> values = new ArrayList<>(k);
            for (int j = 0; j < k; j++) values.add(decoded(j, buf, base));
            slow(path, values, buf, base);
        }
    }

    /** A tabular row as column name → value. */
    private void named(JsonParser p, String path, float[] buf, int base) {
        boolean[] seen = new boolean[features.size()];
        int seenCount = 0;
        for (String name = p.nextName(); name != null; name = p.nextName()) {
            Integer k = byName.get(name);
            JsonToken t = p.nextToken();
            if (k == null || seen[k] || !put(features.get(k), p, t, buf, base + offsets[k])) {
                Map<String, Object> values = new LinkedHashMap<>();
                for (int j = 0; j < features.size(); j++) if (seen[j]) values.put(features.get(j).name(), decoded(j, buf, base));
                values.put(name, generic(p));
                for (String n = p.nextName(); n != null; n = p.nextName()) {
                    p.nextToken();
                    values.put(n, generic(p));
                }
                slow(path, values, buf, base);
                return;
            }
            seen[k] = true;
            seenCount++;
        }
        if (seenCount != features.size()) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int j = 0; j < features.size(); j++) if (seen[j]) values.put(features.get(j).name(), decoded(j, buf, base));
            slow(path, values, buf, base);
        }
    }

    /** An image as a flat list of pixel numbers; nested lists go the generic way. */
    private void image(JsonParser p, String path, float[] buf, int base) {
        int i = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (i >= width || !finiteNumber(p, t)) {
                List<Object> values = new ArrayList<>();
                for (int j = 0; j < i; j++) values.add(buf[base + j]);
                values.add(generic(p));
                while (p.nextToken() != JsonToken.END_ARRAY) values.add(generic(p));
                slow(path, values, buf, base);
                return;
            }
            buf[base + i++] = p.getFloatValue();
        }
        if (i != width) {
            List<Object> values = new ArrayList<>(i);
            for (int j = 0; j < i; j++) values.add(buf[base + j]);
            slow(path, values, buf, base);
        }
    }

    private static boolean put(Feature f, JsonParser p, JsonToken t, float[] buf, int at) {
        if (f.kind() == InputSchema.Kind.NUMERIC) {
            if (!finiteNumber(p, t)) return false;
            buf[at] = p.getFloatValue();
            return true;
        }
        if (t != JsonToken.VALUE_STRING) return false;
        int category = f.categories().indexOf(p.getString());
        if (category < 0) return false;
        Arrays.fill(buf, at, at + f.width(), 0f);
        buf[at + category] = 1f;
        return true;
    }

    private static boolean finiteNumber(JsonParser p, JsonToken t) {
        return (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) && Float.isFinite(p.getFloatValue());
    }

    /** Feature {@code k} of an already decoded row, as the client sent it (a number or a category name). */
    private Object decoded(int k, float[] buf, int base) {
        Feature f = features.get(k);
        int at = base + offsets[k];
        if (f.kind() == InputSchema.Kind.NUMERIC) return buf[at];
        for (int c = 0; c < f.width(); c++) if (buf[at + c] == 1f) return f.categories().get(c);
        return null;
    }

    /** The current value (scalar or whole structure) as generic JSON values. */
    private static Object generic(JsonParser p) {
        return p.readValueAs(Object.class);
    }

    private void slow(String path, Object instance, float[] buf, int base) {
        float[] row = InstanceEncoding.encode(schema, path, instance);
        System.arraycopy(row, 0, buf, base, width);
    }
}
