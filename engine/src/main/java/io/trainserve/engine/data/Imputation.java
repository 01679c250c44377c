package io.trainserve.engine.data;

import io.trainserve.engine.Dataset;
import io.trainserve.engine.InputSchema;
import io.trainserve.engine.InputSchema.Feature;
import io.trainserve.engine.InputSchema.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Missing-value fills ({@code preprocessing.missing}: impute, mean, median, most_frequent), fitted on
 * the training split's present values only and kept in the input schema, so the saved model fills a
 * predict-time null the same way. A missing number is NaN and a missing category an all-zero one-hot
 * group until filled.
 */
public final class Imputation {
    private Imputation() {}

    /** The schema with a fill per feature, from {@code train}'s present values. */
    public static InputSchema fit(Dataset train, MissingPolicy policy) {
        InputSchema schema = train.inputSchema();
        List<Feature> filled = new ArrayList<>();
        int offset = 0;
        for (Feature f : schema.features()) {
            filled.add(f.withFill(f.kind() == Kind.NUMERIC ? numberFill(train, offset, policy) : categoryFill(train, offset, f)));
            offset += f.width();
        }
        return new InputSchema(List.copyOf(filled), null);
    }

    /** {@code data} with every NaN number and all-zero category replaced by {@code filled}'s fills, under that schema. */
    public static Dataset apply(Dataset data, InputSchema filled) {
        float[] x = data.features().clone();
        int width = data.width();
        int offset = 0;
        for (Feature f : filled.features()) {
            for (int r = 0; r < data.size(); r++) {
                int at = r * width + offset;
                if (f.kind() == Kind.NUMERIC) {
                    if (Float.isNaN(x[at])) x[at] = Float.parseFloat(f.fill());
                } else if (f.width() > 0 && allZero(x, at, f.width())) {
                    x[at + f.categories().indexOf(f.fill())] = 1f;
                }
            }
            offset += f.width();
        }
        return new Dataset(x, data.size(), filled, data.target(), data.checksum());
    }

    private static String numberFill(Dataset d, int column, MissingPolicy policy) {
        float[] present = new float[d.size()];
        int n = 0;
        for (int r = 0; r < d.size(); r++) {
            float value = d.features()[r * d.width() + column];
            if (!Float.isNaN(value)) present[n++] = value;
        }
        if (n == 0) return "0";
        float[] values = Arrays.copyOf(present, n);
        Arrays.sort(values);
        return switch (policy) {
            case MEAN -> {
                double sum = 0;
                for (float v : values) sum += v;
                yield Numbers.format((float) (sum / n));
            }
            case MOST_FREQUENT -> Numbers.format(mode(values));
            default -> Numbers.format(n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2f);
        };
    }

    /** The most frequent of sorted values (the smallest on ties). */
    private static float mode(float[] sorted) {
        float best = sorted[0];
        int bestCount = 0;
        for (int i = 0, j; i < sorted.length; i = j) {
            for (j = i; j < sorted.length && sorted[j] == sorted[i]; j++) { }
            if (j - i > bestCount) {
                bestCount = j - i;
                best = sorted[i];
            }
        }
        return best;
    }

    /** The most frequent category (the first in order on ties), null for a feature with no categories. */
    private static String categoryFill(Dataset d, int offset, Feature f) {
        if (f.width() == 0) return null;
        long[] counts = new long[f.width()];
        for (int r = 0; r < d.size(); r++) {
            for (int k = 0; k < counts.length; k++) if (d.features()[r * d.width() + offset + k] != 0f) counts[k]++;
        }
        int best = 0;
        for (int k = 1; k < counts.length; k++) if (counts[k] > counts[best]) best = k;
        return f.categories().get(best);
    }

    private static boolean allZero(float[] x, int from, int length) {
        for (int i = from; i < from + length; i++) if (x[i] != 0f) return false;
        return true;
    }
}
