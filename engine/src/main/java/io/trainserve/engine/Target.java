package io.trainserve.engine;

import java.util.List;

/** What a dataset's rows should predict: class indices with their names, or real values. */
public sealed interface Target permits Target.Classes, Target.Values {

    String column();

    Target subset(int[] rows);

    /** Class labels as indices into {@code classNames} (sorted: numerically if all labels are numbers, else by text). */
    record Classes(String column, int[] indices, List<String> classNames) implements Target {
        public int classCount() {
            return classNames.size();
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
        public Target subset(int[] rows) {
            float[] picked = new float[rows.length];
            for (int i = 0; i < rows.length; i++) picked[i] = values[rows[i]];
            return new Values(column, picked);
        }
    }
}
