package io.trainserve.engine.spec;

/**
 * Weight penalties on dense and conv2d kernels (not biases), Keras semantics:
 * loss += l1 * sum|w| + l2 * sum(w^2). Both non-zero is the elastic net.
 */
public record RegularizationSpec(Double l1, Double l2) {
    public static final RegularizationSpec NONE = new RegularizationSpec(0.0, 0.0);

    public double l1OrZero() { return l1 == null ? 0.0 : l1; }

    public double l2OrZero() { return l2 == null ? 0.0 : l2; }
}
