package io.trainserve.engine.data;

/** One column's values as held in a {@link Table}: float32 numbers (NaN = missing) or text (null = missing). */
sealed interface Column permits Column.Numbers, Column.Texts {

    int size();

    record Numbers(float[] values) implements Column {
        @Override
        public int size() { return values.length; }
    }

    record Texts(String[] values) implements Column {
        @Override
        public int size() { return values.length; }
    }
}
