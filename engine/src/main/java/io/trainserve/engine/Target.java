package io.trainserve.engine;

import java.util.List;

/**
 * What a dataset's rows should predict: class indices with their names, real values, or (anomaly
 * detection) the rows' own features, reconstructed by an autoencoder. A target
 * with no rows (see {@link #classes(String, List)} and {@link #values(String)}) describes what a model
 * predicts, or what a dataset offers, without holding the labels.
 */
public sealed interface Target permits Target.Classes, Target.Values, Target.Reconstruction, Target.Labels {

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

    /** Several independent 0/1 label columns (multi-label), without rows. */
    static Labels labels(List<String> columns) {
        return new Labels(List.copyOf(columns), new float[0]);
    }

    /** The input itself, for an autoencoder: no threshold fitted yet. */
    static Reconstruction reconstruction() {
        return new Reconstruction(null, null);
    }

    /** This target without its rows. */
    default Target described() {
        return classification() ? classes(column(), classNames()) : values(column());
    }

    /** Rows held (0 for a described target). */
    default int rows() {
        if (this instanceof Classes c) return c.indices().length;
        if (this instanceof Values v) return v.values().length;
        if (this instanceof Labels l) return l.columns().isEmpty() ? 0 : l.values().length / l.columns().size();
        return 0; // a reconstruction holds no rows: the input is its own target
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

    /**
     * Anomaly detection: the model reconstructs its (scaled) input; a row whose reconstruction error
     * (mean squared error over the features, in the scaled space) is above {@code threshold} is an
     * anomaly. Rows carry no labels, so the target holds none; it has no column.
     *
     * @param threshold the fitted (or fixed) threshold, null before training has fitted it
     * @param quantile  the quantile of the training rows' errors the threshold was fitted at, null when fixed
     */
    record Reconstruction(Double threshold, Double quantile) implements Target {
        @Override
        public String column() {
            return null;
        }

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
            return this;
        }

        @Override
        public Target described() {
            return this;
        }

        public boolean anomalous(double score) {
            return threshold != null && score > threshold;
        }
    }

    /**
     * Multi-label: each row has k independent 0/1 labels, one per column (a sigmoid unit each, trained
     * with binary cross-entropy). {@link #classNames()} are the label column names, in the target's order.
     *
     * @param values row-major {@code rows x k} zeros and ones
     */
    record Labels(List<String> columns, float[] values) implements Target {
        /** The label columns, comma-separated (for messages and views). */
        @Override
        public String column() {
            return String.join(",", columns);
        }

        @Override
        public boolean classification() {
            return true;
        }

        @Override
        public List<String> classNames() {
            return columns;
        }

        @Override
        public Target described() {
            return labels(columns);
        }

        @Override
        public Target subset(int[] rows) {
            int k = columns.size();
            float[] picked = new float[rows.length * k];
            for (int i = 0; i < rows.length; i++) System.arraycopy(values, rows[i] * k, picked, i * k, k);
            return new Labels(columns, picked);
        }
    }
}
