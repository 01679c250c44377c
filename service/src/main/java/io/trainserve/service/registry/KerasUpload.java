package io.trainserve.service.registry;

import io.trainserve.engine.KerasImport;
import io.trainserve.engine.Model;
import io.trainserve.engine.UnsupportedModelException;
import io.trainserve.service.system.BadRequestException;
import io.trainserve.service.system.UploadException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Keras {@code .h5} upload to {@code POST /models/{id}/versions}: the optional form fields
 * {@code preprocessing} ({@code {"scale": 0.00392, "shift": 0}}, each a number or one per feature) and
 * {@code classNames} (a JSON array of strings) read, the file handed to the engine's importer. What
 * the engine cannot import becomes a 422 naming the layer or class and what is supported.
 */
@Component
class KerasUpload {
    static final String PREPROCESSING_SHAPE = "a JSON object {\"scale\": number or [numbers], \"shift\": number or [numbers]}";
    private final JsonMapper json;

    KerasUpload(JsonMapper json) {
        this.json = json;
    }

    Model read(byte[] file, String fileName, String preprocessing, String classNames) {
        float[][] scaleShift = preprocessing == null ? new float[2][] : scaleShift(preprocessing);
        List<String> names = classNames == null ? null : names(classNames);
        try {
            return KerasImport.read(file, new KerasImport.Options(fileName, scaleShift[0], scaleShift[1], names));
        } catch (UnsupportedModelException e) {
            throw new UploadException("file", "part 'file' (" + fileName + ") cannot be imported as a Keras model: " + e.getMessage());
        }
    }

    private float[][] scaleShift(String text) {
        JsonNode n = parse("preprocessing", text, PREPROCESSING_SHAPE);
        if (!n.isObject() || n.isEmpty()) throw new BadRequestException("preprocessing", text, PREPROCESSING_SHAPE);
        for (String key : n.propertyNames()) {
            if (!key.equals("scale") && !key.equals("shift")) throw new BadRequestException("preprocessing." + key, text, "scale, shift");
        }
        return new float[][]{numbers("preprocessing.scale", n.get("scale")), numbers("preprocessing.shift", n.get("shift"))};
    }

    private static float[] numbers(String field, JsonNode n) {
        if (n == null || n.isNull()) return null;
        if (n.isNumber()) return new float[]{n.floatValue()};
        if (!n.isArray() || n.isEmpty()) throw new BadRequestException(field, n.toString(), "a number or a non-empty array of numbers");
        float[] out = new float[n.size()];
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isNumber()) throw new BadRequestException(field + "[" + i + "]", n.get(i).toString(), "a number");
            out[i] = n.get(i).floatValue();
        }
        return out;
    }

    private List<String> names(String text) {
        JsonNode n = parse("classNames", text, "a JSON array of strings");
        if (!n.isArray() || n.isEmpty()) throw new BadRequestException("classNames", text, "a JSON array of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode s : n) {
            if (!s.isString() || s.asString().isBlank()) throw new BadRequestException("classNames", text, "a JSON array of non-empty strings");
            out.add(s.asString());
        }
        return out;
    }

    private JsonNode parse(String field, String text, String allowed) {
        try {
            return json.readTree(text);
        } catch (JacksonException e) {
            throw new BadRequestException(field, text, allowed);
        }
    }
}
