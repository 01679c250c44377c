package io.trainserve.engine;

import java.util.List;

/**
 * What a model takes as input, in the user's terms: named tabular features (numeric, or
 * categorical with their categories, one-hot encoded in that order), or an image of shape
 * {@code [channels, height, width]}. Saved with the model so predict can accept raw rows.
 */
public record InputSchema(List<Feature> features, List<Integer> imageShape) {

    public enum Kind { NUMERIC, CATEGORICAL }

    public record Feature(String name, Kind kind, List<String> categories) {
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
}
