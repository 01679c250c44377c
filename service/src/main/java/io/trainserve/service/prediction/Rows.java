package io.trainserve.service.prediction;

/** Encoded (one-hot expanded, unscaled) rows, {@code count x width}, row-major; {@code data} may be longer. */
record Rows(float[] data, int count, int width) {
    float[] exact() {
        return data.length == count * width ? data : java.util.Arrays.copyOf(data, count * width);
    }
}
