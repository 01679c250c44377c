package io.trainserve.engine.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.ArrayList;
import java.util.List;

/**
 * A job's {@code "target"}: one column name ({@code "label"}: classes or values, as the loss says), or
 * a list of 0/1 columns ({@code ["sunny", "windy", "cold"]}: multi-label, one sigmoid unit each).
 * Written back to JSON in the form it was given.
 *
 * @param columns    the target column(s), in the order given
 * @param multiLabel true when given as a list (even of one column)
 */
public record TargetSpec(List<String> columns, boolean multiLabel) {
    public TargetSpec {
        columns = List.copyOf(columns);
    }

    public static TargetSpec column(String name) {
        return new TargetSpec(List.of(name), false);
    }

    public static TargetSpec labels(List<String> columns) {
        return new TargetSpec(columns, true);
    }

    /** From JSON: a string, or an array of strings. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static TargetSpec fromJson(Object json) {
        if (json instanceof String s) return column(s);
        if (json instanceof List<?> list) {
            List<String> names = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw new IllegalArgumentException("target: expected column names (strings), found " + o);
                }
                names.add(s);
            }
            return labels(names);
        }
        throw new IllegalArgumentException("target: expected a column name or a list of 0/1 column names, found " + json);
    }

    @JsonValue
    public Object toJson() {
        return multiLabel ? columns : columns.get(0);
    }

    /** The one column of a single target, or null for a multi-label list. */
    public String single() {
        return multiLabel ? null : columns.get(0);
    }

    @Override
    public String toString() {
        return String.valueOf(toJson());
    }
}
