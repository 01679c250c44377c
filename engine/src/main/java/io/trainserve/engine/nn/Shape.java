package io.trainserve.engine.nn;

import io.trainserve.engine.InputSchema;
import io.trainserve.engine.spec.ModelSpec;

import java.util.Arrays;
import java.util.List;

/**
 * Per-sample shape of a layer's output: {@code [width]} for vectors, {@code [timesteps, features]}
 * for sequences (time-major), {@code [channels, height, width]} for images.
 */
public record Shape(int[] dims) {

    /** A model's input: images as stored, table rows as vectors or, with {@code model.inputShape}, as sequences. */
    public static Shape of(InputSchema schema, ModelSpec spec) {
        List<Integer> seq = spec == null ? null : spec.inputShape();
        if (seq != null && !schema.isImage()) return sequence(seq.get(0), seq.get(1));
        if (!schema.isImage()) return vector(schema.width());
        List<Integer> s = schema.imageShape();
        return image(s.get(0), s.get(1), s.get(2));
    }

    public static Shape vector(int width) {
        return new Shape(new int[]{width});
    }

    public static Shape image(int channels, int height, int width) {
        return new Shape(new int[]{channels, height, width});
    }

    public static Shape sequence(int timesteps, int features) {
        return new Shape(new int[]{timesteps, features});
    }

    public boolean isSequence() {
        return dims.length == 2;
    }

    public int timesteps() { return dims[0]; }

    public int features() { return dims[1]; }

    public boolean isImage() {
        return dims.length == 3;
    }

    public int size() {
        int s = 1;
        for (int d : dims) s *= d;
        return s;
    }

    public int channels() { return dims[0]; }

    public int height() { return dims[1]; }

    public int width() { return dims[2]; }

    /** Array shape for a batch of {@code batch} samples. */
    public long[] batchShape(int batch) {
        long[] s = new long[dims.length + 1];
        s[0] = batch;
        for (int i = 0; i < dims.length; i++) s[i + 1] = dims[i];
        return s;
    }

    /** Keras-style text, e.g. {@code (None, 26, 26, 32)} is written here channels-first: {@code (None, 32, 26, 26)}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("(None");
        for (int d : dims) b.append(", ").append(d);
        return b.append(')').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }
}
