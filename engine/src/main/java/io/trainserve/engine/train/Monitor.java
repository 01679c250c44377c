package io.trainserve.engine.train;

import java.util.Map;

/** A watched metric and its direction, with Keras' "auto" rule: accuracy-like metrics rise, the rest fall. */
record Monitor(String metric, boolean higherIsBetter) {

    static Monitor of(String metric, String mode) {
        String m = mode == null ? "auto" : mode;
        boolean max = switch (m) {
            case "max" -> true;
            case "min" -> false;
            default -> metric.contains("acc");
        };
        return new Monitor(metric, max);
    }

    Double read(Map<String, Double> metrics) {
        return metrics.get(metric);
    }

    /** Keras' monitor_op(current - minDelta, reference), with minDelta signed by direction. */
    boolean improves(double current, double reference, double minDelta) {
        return higherIsBetter ? current - Math.abs(minDelta) > reference : current + Math.abs(minDelta) < reference;
    }

    double worst() {
        return higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
}
