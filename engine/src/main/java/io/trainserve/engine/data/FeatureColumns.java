package io.trainserve.engine.data;

import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * Which columns of a table are features (the job's {@code features} / {@code exclude}, carried in
 * {@link PreprocessingSpec}; violations name them by those top-level names)
 * and which text columns look like identifiers (a unique name would be one-hot encoded into as many
 * columns as there are rows, and learn nothing). Used on the stored description when a job is
 * submitted and on the rows when it runs, so both give the same answer.
 */
public final class FeatureColumns {
    /** Default cap on a text feature's distinct values ({@code preprocessing.maxCategories}). */
    public static final int MAX_CATEGORIES = 1000;
    /** Below this many distinct values a text column is never called an identifier (small tables). */
    private static final int SMALL = 20;

    private FeatureColumns() {}

    /**
     * The feature column names in table order, adding a violation for each unknown or conflicting name.
     */
    public static List<String> select(List<String> columns, String target, PreprocessingSpec p, List<Violation> v) {
        return select(columns, List.of(target), p, v);
    }

    /** {@link #select(List, String, PreprocessingSpec, List)} next to several target columns (multi-label). */
    public static List<String> select(List<String> columns, List<String> targets, PreprocessingSpec p, List<Violation> v) {
        List<String> features = p == null ? null : p.features();
        List<String> exclude = p == null ? null : p.exclude();
        if (features != null && exclude != null) {
            v.add(new Violation("exclude", exclude.toString(), "nothing when features is given (use one or the other)"));
        }
        unknown("features", features, columns, v);
        unknown("exclude", exclude, columns, v);
        if (features != null && features.stream().anyMatch(targets::contains)) {
            v.add(new Violation("features", features.toString(), "columns other than the target " + quoted(targets)));
        }
        List<String> out = new ArrayList<>();
        for (String c : columns) {
            if (targets.contains(c)) continue;
            if (features != null && !features.contains(c)) continue;
            if (features == null && exclude != null && exclude.contains(c)) continue;
            out.add(c);
        }
        if (out.isEmpty() && v.isEmpty()) {
            v.add(new Violation(features != null ? "features" : "exclude",
                    String.valueOf(features != null ? features : exclude), "a selection leaving at least one feature column"));
        }
        return out;
    }

    private static String quoted(List<String> targets) {
        return targets.size() == 1 ? "'" + targets.get(0) + "'" : targets.toString();
    }

    private static void unknown(String field, List<String> names, List<String> columns, List<Violation> v) {
        if (names == null) return;
        for (String n : names) {
            if (!columns.contains(n)) v.add(new Violation(field, "\"" + n + "\"", "names of the dataset's columns " + DatasetBuilder.listed(columns)));
        }
    }

    /**
     * A violation when text column {@code name} with {@code distinct} values in {@code present} non-missing
     * rows looks like an identifier: at least half its values distinct (and more than 20), or more
     * distinct values than the cap.
     */
    public static void checkNotIdentifier(String name, int distinct, long present, PreprocessingSpec p, List<Violation> v) {
        int cap = p == null || p.maxCategories() == null ? MAX_CATEGORIES : p.maxCategories();
        boolean mostlyUnique = distinct > SMALL && distinct * 2L >= present;
        if (!mostlyUnique && distinct <= cap) return;
        v.add(new Violation("exclude", "text column '" + name + "' with " + distinct + " distinct values in " + present
                + " rows (it looks like an identifier or free text; one-hot encoding it would add " + distinct + " inputs)",
                "\"" + name + "\" listed in exclude (or left out of features); a text feature may have"
                        + " fewer distinct values than half its rows and at most " + cap + " (preprocessing.maxCategories)"));
    }
}
