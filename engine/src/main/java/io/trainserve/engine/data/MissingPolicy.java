package io.trainserve.engine.data;

import io.trainserve.engine.spec.InvalidSpecException;
import java.util.Locale;

/** What to do with rows that miss a feature or target value (spec field {@code preprocessing.missing}). */
public enum MissingPolicy {
    /** Refuse the dataset, pointing at the first missing cell: silently losing rows surprises people. */
    ERROR,
    /** Drop every row that misses a feature or target value. */
    DROP;

    /** null means the default, ERROR. */
    public static MissingPolicy parse(String value) {
        if (value == null) return ERROR;
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "error" -> ERROR;
            case "drop" -> DROP;
            default -> throw new InvalidSpecException("preprocessing.missing", "\"" + value + "\"", "error, drop");
        };
    }
}
