package io.trainserve.engine;

import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.Violation;

import java.util.ArrayList;
import java.util.List;

/**
 * What a model starting with an {@code embedding} layer takes: each of a row's (numeric) columns is a token
 * id, a whole number from 0 to {@code inputDim - 1}. Such rows are never scaled. Checked on the dataset's
 * description when a job is posted, on the rows before training, and on every row at predict and evaluate,
 * each time naming the row and column, the value and this range.
 *
 * @param inputDim the embedding's vocabulary size
 */
public record TokenIds(int inputDim) {
    /** The model's token ids, or null when it does not start with an embedding (or its inputDim is not set). */
    public static TokenIds of(ModelSpec spec) {
        if (spec == null || spec.layers() == null || spec.layers().isEmpty()) return null;
        LayerSpec first = spec.layers().get(0);
        if (first == null || !"embedding".equals(first.type()) || first.inputDim() == null || first.inputDim() < 1) return null;
        return new TokenIds(first.inputDim());
    }

    public boolean valid(double id) {
        return id >= 0 && id < inputDim && id == Math.rint(id);
    }

    /** What every value must be, for problems. */
    public String allowed() {
        return "a whole number from 0 to " + (inputDim - 1) + " (a token id below the embedding's inputDim " + inputDim
                + ", model.layers[0].inputDim)";
    }

    /** The position of the first value of {@code values[from, to)} that is not a token id (NaN is skipped when {@code skipNaN}), or -1. */
    public int firstInvalid(float[] values, int from, int to, boolean skipNaN) {
        for (int i = from; i < to; i++) {
            if (!valid(values[i]) && !(skipNaN && Float.isNaN(values[i]))) return i;
        }
        return -1;
    }

    /**
     * Every row of {@code data} holds token ids.
     *
     * @param field   the violation's field (the dataset's part of the plan: train, validation, test)
     * @param skipNaN missing values are imputed later (and their fill checked then)
     * @return a violation naming the first bad row (1-based) and column, or null
     */
    public Violation rowViolation(String field, Dataset data, boolean skipNaN) {
        int width = data.width(), at = firstInvalid(data.features(), 0, data.size() * width, skipNaN);
        if (at < 0) return null;
        String column = data.inputSchema().expandedNames().get(at % width);
        return new Violation(field, "row " + (at / width + 1) + ", column '" + column + "': " + describe(data.features()[at]), allowed());
    }

    /** Predict: every value of {@code count} encoded rows is a token id, else a problem naming {@code instances[i].column}. */
    public void checkInstances(float[] rows, int count, InputSchema schema) {
        int width = schema.width(), at = firstInvalid(rows, 0, count * width, false);
        if (at < 0) return;
        String column = schema.expandedNames().get(at % width);
        throw new InvalidInputException("instances[" + at / width + "]." + column, describe(rows[at]), allowed());
    }

    /**
     * A stored dataset's columns, from their description (range and whole-numberedness): the first column
     * that cannot hold token ids, for a 400 when the job is posted. Columns without a known range are left
     * to the check on the rows.
     */
    public List<Violation> columnViolations(List<DatasetDescription.Column> columns, List<String> features) {
        List<Violation> v = new ArrayList<>();
        for (DatasetDescription.Column c : columns) {
            if (!features.contains(c.name())) continue;
            String given = null;
            if (!c.numeric()) continue; // a text column is a categorical feature, refused by the plan check
            if (c.min() != null && c.max() != null && (c.min() < 0 || c.max() > inputDim - 1)) {
                given = "column '" + c.name() + "' with values from " + describe(c.min()) + " to " + describe(c.max());
            } else if (!c.integral()) given = "column '" + c.name() + "' with values that are not whole numbers";
            if (given != null) {
                v.add(new Violation("train", given, allowed()));
                break; // one column says enough; the rest are usually alike
            }
        }
        return v;
    }

    /** An imputed fill (preprocessing.missing) must be a token id too. */
    public void checkFills(InputSchema filled) {
        for (InputSchema.Feature f : filled.features()) {
            if (f.kind() == InputSchema.Kind.NUMERIC && f.fill() != null && !valid(Double.parseDouble(f.fill()))) {
                throw new InvalidSpecException("preprocessing.missing", "a fill of " + f.fill() + " for column '" + f.name() + "'",
                        allowed() + ": use \"most_frequent\" or \"drop\" for token ids");
            }
        }
    }

    private static String describe(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
