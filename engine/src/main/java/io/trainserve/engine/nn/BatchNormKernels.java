package io.trainserve.engine.nn;

/**
 * Batch normalization's element-wise work as fused passes over the native buffers, one group
 * (feature or channel) at a time so its values stay in cache between passes. ND4J needs about a
 * dozen native ops per call for the same work (broadcasts, reductions that allocate, a c-order
 * copy of the dense layer's f-ordered output). Sums are accumulated in double.
 */
final class BatchNormKernels {
    private BatchNormKernels() {
    }

    /**
     * Where one group's values lie: {@code blocks} runs of {@code run} contiguous elements, run
     * {@code b} of group {@code g} starting at {@code g * groupStride + b * blockStride}.
     */
    record GroupLayout(int groups, int blocks, int run, int groupStride, int blockStride) {
        /** Features of an f-ordered {@code [batch, features]} array: one contiguous column each. */
        static GroupLayout columns(int batch, int features) {
            return new GroupLayout(features, 1, batch, batch, 0);
        }

        /** Channels of a c-ordered {@code [batch, channels, height, width]} array: one {@code height x width} block per sample. */
        static GroupLayout channels(int batch, int channels, int pixels) {
            return new GroupLayout(channels, batch, pixels, pixels, channels * pixels);
        }

        int groupSize() {
            return blocks * run;
        }

        int start(int group, int block) {
            return group * groupStride + block * blockStride;
        }
    }

    /** Per group: mean and biased variance (two passes; the group is in cache for the second). */
    static void statistics(Values x, GroupLayout l, double[] mean, double[] variance) {
        double n = l.groupSize();
        for (int g = 0; g < l.groups(); g++) {
            double sum = 0;
            for (int b = 0; b < l.blocks(); b++) {
                int s = l.start(g, b);
                for (int i = s; i < s + l.run(); i++) sum += x.get(i);
            }
            double m = sum / n, squares = 0;
            for (int b = 0; b < l.blocks(); b++) {
                int s = l.start(g, b);
                for (int i = s; i < s + l.run(); i++) {
                    double d = x.get(i) - m;
                    squares += d * d;
                }
            }
            mean[g] = m;
            variance[g] = squares / n;
        }
    }

    /** xhat = (x - mean) * invStd (skipped when {@code xhat} is null) and out = gamma * xhat + beta. */
    static void normalize(Values x, GroupLayout l, double[] mean, double[] invStd, Values gamma, Values beta, Values xhat, Values out) {
        for (int g = 0; g < l.groups(); g++) {
            double m = mean[g], k = invStd[g], scale = gamma.get(g), shift = beta.get(g);
            for (int b = 0; b < l.blocks(); b++) {
                int s = l.start(g, b);
                for (int i = s; i < s + l.run(); i++) {
                    double h = (x.get(i) - m) * k;
                    if (xhat != null) xhat.set(i, h);
                    out.set(i, h * scale + shift);
                }
            }
        }
    }

    /**
     * betaGrad = sum(dy), gammaGrad = sum(dy * xhat) per group, and when {@code dx} is given
     * dx = invStd * gamma * (dy - mean(dy) - xhat * mean(dy * xhat)).
     */
    static void backward(Values dy, Values xhat, GroupLayout l, double[] invStd, Values gamma, Values gammaGrad, Values betaGrad, Values dx) {
        double n = l.groupSize();
        for (int g = 0; g < l.groups(); g++) {
            double sumDy = 0, sumDyXhat = 0;
            for (int b = 0; b < l.blocks(); b++) {
                int s = l.start(g, b);
                for (int i = s; i < s + l.run(); i++) {
                    double d = dy.get(i);
                    sumDy += d;
                    sumDyXhat += d * xhat.get(i);
                }
            }
            betaGrad.set(g, sumDy);
            gammaGrad.set(g, sumDyXhat);
            if (dx == null) continue;
            double k = invStd[g] * gamma.get(g), meanDy = sumDy / n, meanDyXhat = sumDyXhat / n;
            for (int b = 0; b < l.blocks(); b++) {
                int s = l.start(g, b);
                for (int i = s; i < s + l.run(); i++) dx.set(i, k * (dy.get(i) - meanDy - xhat.get(i) * meanDyXhat));
            }
        }
    }
}
