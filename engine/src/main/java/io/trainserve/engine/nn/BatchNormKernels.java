package io.trainserve.engine.nn;

/**
 * Batch normalization's arithmetic for one group (feature or channel) at a time, on the group's
 * values gathered into a {@code double[]}: plain array loops, in cache between passes. ND4J
 * needs about a dozen native ops per call for the same work (broadcasts, reductions that
 * allocate, a c-order copy of the dense layer's f-ordered output).
 */
final class BatchNormKernels {
    private BatchNormKernels() {
    }

    /**
     * Where one group's values lie in an array: {@code blocks} runs of {@code run} contiguous
     * elements, run {@code b} of group {@code g} starting at {@code g * groupStride + b * blockStride}.
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

        /** dst[0, groupSize) = the values of group g. */
        void gather(Values from, int g, double[] dst) {
            for (int b = 0; b < blocks; b++) from.read(g * groupStride + b * blockStride, dst, b * run, run);
        }

        /** The values of group g = src[0, groupSize). */
        void scatter(double[] src, int g, Values to) {
            for (int b = 0; b < blocks; b++) to.write(g * groupStride + b * blockStride, src, b * run, run);
        }
    }

    // The sums keep four partial sums (as Sums.sum): a single chain of dependent additions waits out
    // each addition's latency (the JIT may not reorder floating-point sums), which made it the bulk of the time.

    /** Biased variance (divides by n), as Keras uses for normalizing and for the running variance. */
    static double variance(double[] x, int n, double mean) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            double d0 = x[i] - mean, d1 = x[i + 1] - mean, d2 = x[i + 2] - mean, d3 = x[i + 3] - mean;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < n; i++) {
            double d = x[i] - mean;
            s0 += d * d;
        }
        return ((s0 + s1) + (s2 + s3)) / n;
    }

    static double dot(double[] a, double[] b, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < n; i++) s0 += a[i] * b[i];
        return (s0 + s1) + (s2 + s3);
    }

    /** x becomes (x - mean) * scale + shift in place: the output with scale = gamma * invStd, shift = beta. */
    static void affine(double[] x, int n, double mean, double scale, double shift) {
        for (int i = 0; i < n; i++) x[i] = (x[i] - mean) * scale + shift;
    }

    /** x becomes xhat = (x - mean) * invStd in place. */
    static void standardize(double[] x, int n, double mean, double invStd) {
        for (int i = 0; i < n; i++) x[i] = (x[i] - mean) * invStd;
    }

    /**
     * dy becomes dL/dx in place: invStd * gamma * (dy - mean(dy) - xhat * mean(dy * xhat)), given
     * sumDy = sum(dy) and sumDyXhat = sum(dy * xhat) (also the beta and gamma gradients).
     */
    static void inputGradient(double[] dy, double[] xhat, int n, double invStdGamma, double sumDy, double sumDyXhat) {
        double meanDy = sumDy / n, meanDyXhat = sumDyXhat / n;
        for (int i = 0; i < n; i++) dy[i] = invStdGamma * (dy[i] - meanDy - xhat[i] * meanDyXhat);
    }
}
