package io.trainserve.engine.data;

import io.trainserve.engine.DatasetDescription;
import io.trainserve.engine.DatasetDescription.Column;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Describes parsed data once, at upload, so later checks need not read it again. */
public final class Descriptions {
    private Descriptions() {
    }

    public static DatasetDescription of(Table t) {
        List<Column> columns = new ArrayList<>();
        for (int c = 0; c < t.columnNames().size(); c++) columns.add(column(t, c));
        return new DatasetDescription(t.rowCount(), List.copyOf(columns), null, List.of());
    }

    public static DatasetDescription of(ImageSet s) {
        return new DatasetDescription(s.count(), List.of(), List.of(s.channels(), s.rows(), s.cols()), s.classes());
    }

    private static Column column(Table t, int c) {
        String name = t.columnNames().get(c);
        long missing = 0;
        for (int r = 0; r < t.rowCount(); r++) if (t.isMissing(c, r)) missing++;
        if (t.type(c) == ColumnType.STRING) {
            TreeSet<String> distinct = new TreeSet<>();
            for (String s : t.text(c)) if (s != null) distinct.add(s);
            return new Column(name, false, false, missing, List.copyOf(distinct), null, null);
        }
        float[] values = t.numeric(c);
        boolean integral = true;
        TreeSet<Float> distinct = new TreeSet<>();
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            if (Float.isNaN(v)) continue;
            min = Math.min(min, v);
            max = Math.max(max, v);
            if (v != Math.rint(v)) integral = false;
            if (integral && distinct.size() <= DatasetDescription.MAX_VALUES) distinct.add(v);
        }
        List<String> names = integral && distinct.size() <= DatasetDescription.MAX_VALUES
                ? distinct.stream().map(v -> Numbers.format(v.floatValue())).toList() : null;
        boolean any = min <= max;
        return new Column(name, true, integral, missing, names, any ? min : null, any ? max : null);
    }
}
