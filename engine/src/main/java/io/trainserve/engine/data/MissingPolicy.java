package io.trainserve.engine.data;

import io.trainserve.engine.spec.InvalidSpecException;
import java.util.Locale;

/** What to do with rows that miss a feature or target value (spec field {@code preprocessing.missing}). */
public enum MissingPolicy {
    /** Refuse the dataset, pointing at the first missing cell: silently losing rows surprises people. */
    ERROR,
    /** Drop every row that misses a feature or target value. */
    DROP,
    /** Fill a missing number with the training split's median, a missing category with its most frequent one. */
    IMPUTE,
    /** Numbers: the training split's mean; categories: the most frequent. */
    MEAN,
    /** Numbers: the training split's median; categories: the most frequent. */
    MEDIAN,
    /** Numbers and categories: the training split's most frequent value. */
    MOST_FREQUENT;

    static final String ALLOWED = "error, drop, impute, mean, median, most_frequent";

    /** null means the default, ERROR. */
    public static MissingPolicy parse(String value) {
        if (value == null) return ERROR;
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException("preprocessing.missing", "\"" + value + "\"", ALLOWED);
        }
    }

    /** Missing feature values are filled (rows that miss the target are still dropped). */
    public boolean imputes() {
        return this != ERROR && this != DROP;
    }
}
