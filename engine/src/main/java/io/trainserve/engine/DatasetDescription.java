package io.trainserve.engine;

import io.trainserve.engine.spec.Violation;

import java.util.List;

/**
 * What an uploaded dataset holds, without its rows: its columns (type, missing count, sorted distinct
 * values) or its image shape and labels. Made once at upload (see {@code data.Descriptions}) and kept,
 * so a plan can be checked for any target column without reading the data again
 * ({@link Trainer#check(Plan, DatasetDescription, String)}).
 *
 * @param rows       data rows (images)
 * @param columns    a table's columns, in file order; empty for images
 * @param imageShape {@code [channels, height, width]} for images, else null
 * @param labels     the image class names: IDX labels present, sorted numerically, or class folder names, sorted; empty for tables
 */
public record DatasetDescription(int rows, List<Column> columns, List<Integer> imageShape, List<String> labels) {
    /** Distinct values kept per numeric column (more cannot be classes anyone means). */
    public static final int MAX_VALUES = 10_000;
    /** What a sigmoid output's real-valued target must be. */
    public static final String UNIT_INTERVAL = "values in [0, 1] for a sigmoid output (0-1 regression); scale the target into [0, 1] or use a linear output";

    /**
     * @param numeric  every present value is a finite number
     * @param integral numeric and every present value a whole number
     * @param values   sorted distinct present values: every one for a text column; for a numeric
     *                 column the integers (as the engine prints them) when integral and at most
     *                 {@link #MAX_VALUES}, else null
     * @param min      smallest present value of a numeric column; null for text (and for descriptions stored before it was kept)
     * @param max      largest present value, as {@code min}
     */
    public record Column(String name, boolean numeric, boolean integral, long missing, List<String> values, Double min, Double max) {
    }

    /**
     * A sigmoid output predicts values in [0, 1] (0-1 regression): the real-valued {@code target}'s range must lie within.
     *
     * @return the violation naming {@code target} and its range, or null
     */
    public Violation outsideUnitInterval(String target) {
        Column c = columns.stream().filter(x -> x.name().equals(target)).findFirst().orElse(null);
        if (c == null || c.min() == null || c.max() == null || (c.min() >= 0 && c.max() <= 1)) return null;
        return new Violation("target", "column '" + target + "' ranging from " + c.min() + " to " + c.max(),
                UNIT_INTERVAL);
    }

    public boolean hasImages() {
        return imageShape != null;
    }

    /**
     * True when {@code column} holds numbers that are not all whole: with binary_crossentropy such a
     * target is a 0-1 regression, not two classes (see {@link Trainer#predictsClasses}).
     */
    public boolean fractional(String column) {
        if (hasImages() || column == null) return false;
        Column c = columns.stream().filter(x -> x.name().equals(column)).findFirst().orElse(null);
        return c != null && c.numeric() && !c.integral();
    }
}
