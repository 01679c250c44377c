package io.trainserve.engine;

import java.util.List;
import java.util.Map;

/**
 * What a model takes as input, in the user's terms: named tabular features (numeric, or
 * categorical with their categories, one-hot encoded in that order), or an image of shape
 * {@code [channels, height, width]}. Saved with the model so predict can accept raw rows.
 */
public record InputSchema(List<Feature> features, List<Integer> imageShape) {

    public enum Kind { NUMERIC, CATEGORICAL }

    /**
     * @param fill the value a missing cell or predict-time null takes (a number as text, or a category),
     *             fitted on the training split when {@code preprocessing.missing} imputes; else null
     */
    public record Feature(String name, Kind kind, List<String> categories, String fill) {
        public Feature(String name, Kind kind, List<String> categories) {
            this(name, kind, categories, null);
        }

        public Feature withFill(String value) {
            return new Feature(name, kind, categories, value);
        }

        public int width() {
            return kind == Kind.NUMERIC ? 1 : categories.size();
        }
    }

    public static InputSchema image(int channels, int height, int width) {
        return new InputSchema(List.of(), List.of(channels, height, width));
    }

    public static InputSchema numeric(List<String> names) {
        return new InputSchema(names.stream().map(n -> new Feature(n, Kind.NUMERIC, List.of())).toList(), null);
    }

    public boolean isImage() {
        return imageShape != null;
    }

    /** Number of floats per row after one-hot expansion. */
    public int width() {
        if (isImage()) return imageShape.stream().reduce(1, (a, b) -> a * b);
        return features.stream().mapToInt(Feature::width).sum();
    }

    /**
     * One predict-time input in feature order: a number per numeric feature, a category string per
     * categorical feature; for images a flat list of {@link #width()} numbers or nested lists
     * ([height][width] for one channel, else [channels][height][width]).
     *
     * @throws InvalidInputException naming the field, what was given and what is expected
     */
    public float[] encode(List<?> values) {
        return new InputEncoder(this).encode("", values);
    }

    /** Like {@link #encode(List)}, prefixing error fields with {@code path} (e.g. "instances[3]"). */
    public float[] encode(String path, List<?> values) {
        return new InputEncoder(this).encode(path, values);
    }

    /** One tabular input by feature name; unknown and missing names are rejected. */
    public float[] encode(Map<String, ?> byName) {
        return new InputEncoder(this).encode("", byName);
    }

    /** Like {@link #encode(Map)}, prefixing error fields with {@code path} (e.g. "instances[3]"). */
    public float[] encode(String path, Map<String, ?> byName) {
        return new InputEncoder(this).encode(path, byName);
    }

    /** A name per encoded float: "x1", "color=red", or "pixel[r][c]" for images. */
    public List<String> expandedNames() {
        return new InputEncoder(this).expandedNames();
    }
}
