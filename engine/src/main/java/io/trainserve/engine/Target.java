package io.trainserve.engine;

import java.util.List;

/**
 * What a dataset's rows should predict: class indices with their names, or real values. A target
 * with no rows (see {@link #classes(String, List)} and {@link #values(String)}) describes what a model
 * predicts, or what a dataset offers, without holding the labels.
 */
public sealed interface Target permits Target.Classes, Target.Values {

    String column();

    Target subset(int[] rows);

    /** True for class labels, false for real values. */
    boolean classification();

    /** The class names, in index order; empty for real values. */
    List<String> classNames();

    default int classCount() {
        return classNames().size();
    }

    /** Classes {@code names} in column {@code column}, without rows. */
    static Classes classes(String column, List<String> names) {
        return new Classes(column, new int[0], List.copyOf(names));
    }

    /** Real values in column {@code column}, without rows. */
    static Values values(String column) {
        return new Values(column, new float[0]);
    }

    /** This target without its rows. */
    default Target described() {
        return classification() ? classes(column(), classNames()) : values(column());
    }

    /** Class labels as indices into {@code classNames} (sorted: numerically if all labels are numbers, else by text). */
    record Classes(String column, int[] indices, List<String> classNames) implements Target {
        @Override
        public boolean classification() {
            return true;
        }

        @Override
        public Target subset(int[] rows) {
            int[] picked = new int[rows.length];
            for (int i = 0; i < rows.length; i++) picked[i] = indices[rows[i]];
            return new Classes(column, picked, classNames);
        }
    }

    /** Regression targets. */
    record Values(String column, float[] values) implements Target {
        @Override
        public boolean classification() {
            return false;
        }

        @Override
        public List<String> classNames() {
            return List.of();
        }

        @Override
        public Target subset(int[] rows) {
            float[] picked = new float[rows.length];
            for (int i = 0; i < rows.length; i++) picked[i] = values[rows[i]];
            return new Values(column, picked);
        }
    }
}
