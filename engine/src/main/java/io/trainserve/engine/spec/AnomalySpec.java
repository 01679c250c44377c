package io.trainserve.engine.spec;

/**
 * How an anomaly job ({@code "task": "anomaly"}) turns reconstruction errors into a yes/no: the
 * threshold is the {@code quantile} of the training rows' errors (default 0.99), or a fixed
 * {@code threshold}; never both.
 *
 * @param quantile  a fraction strictly between 0 and 1, or null
 * @param threshold a fixed reconstruction error >= 0 (in the scaled space the model sees), or null
 */
public record AnomalySpec(Double quantile, Double threshold) {
    public static final double DEFAULT_QUANTILE = 0.99;
    /** The one task a job names explicitly; every other task follows from the loss. */
    public static final String TASK = "anomaly";

    /** The quantile to fit, or null when the threshold is fixed. */
    public Double effectiveQuantile() {
        return threshold != null ? null : quantile != null ? quantile : DEFAULT_QUANTILE;
    }
}
