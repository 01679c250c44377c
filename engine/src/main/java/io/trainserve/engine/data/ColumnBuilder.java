package io.trainserve.engine.data;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Collects one CSV column while streaming. Starts numeric (a growing float[]), and turns to text at
 * the first present value that is not a number; the numbers seen before are printed back as text
 * then, so a numeric column never holds a String per cell.
 */
final class ColumnBuilder {
    private float[] numbers = new float[1024];
    private String[] texts;
    /** Shares one String per distinct value: categorical columns repeat a few values many times. */
    private Map<String, String> interned;
    private int size;

    void add(String raw) {
        String value = raw.trim();
        boolean missing = MissingValues.isMissing(value);
        if (texts == null) {
            float number = missing ? Float.NaN : Numbers.parse(value);
            if (missing || !Float.isNaN(number)) {
                if (size == numbers.length) numbers = Arrays.copyOf(numbers, grow(size));
                numbers[size++] = number;
                return;
            }
            switchToText();
        }
        if (size == texts.length) texts = Arrays.copyOf(texts, grow(size));
        texts[size++] = missing ? null : interned.computeIfAbsent(value, v -> v);
    }

    private void switchToText() {
        texts = new String[numbers.length];
        interned = new HashMap<>();
        for (int i = 0; i < size; i++) {
            texts[i] = Float.isNaN(numbers[i]) ? null : interned.computeIfAbsent(Numbers.format(numbers[i]), v -> v);
        }
        numbers = null;
    }

    private static int grow(int size) {
        return Math.max(16, size + (size >> 1));
    }

    Column build() {
        return texts == null ? new Column.Numbers(Arrays.copyOf(numbers, size)) : new Column.Texts(Arrays.copyOf(texts, size));
    }
}
