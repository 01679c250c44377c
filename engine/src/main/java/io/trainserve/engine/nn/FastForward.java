package io.trainserve.engine.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Inference for a few rows in plain Java over copies of the weights, for networks of dense,
 * batch-norm (vector), dropout and flatten layers. A single-row predict through ND4J pays several
 * native calls per layer; here each dense layer is one loop in saxpy form ({@code out += x_i * W[i,:]}),
 * which the JIT vectorizes, four inputs per pass, and zero inputs (half of an image's pixels) are skipped. Outputs agree
 * with the ND4J path to float rounding. Immutable and thread-safe.
 */
public final class FastForward {
    private final List<Step> steps;
    private final int inputWidth;
    private final String head; // softmax, sigmoid, or the regression output activation
    private final double headAlpha;

    private interface Step {
        float[] apply(float[] x);
    }

    private FastForward(List<Step> steps, int inputWidth, String head, double headAlpha) {
        this.steps = steps;
        this.inputWidth = inputWidth;
        this.head = head;
        this.headAlpha = headAlpha;
    }

    /** @return null when the network has layers this path does not cover (convolutions, image batch norm) */
    public static FastForward of(Network net) {
        List<Step> steps = new ArrayList<>();
        String head = "linear";
        double alpha = 0;
        for (Layer l : net.layers()) {
            if (l instanceof DenseLayer d) {
                boolean last = l == net.layers().get(net.layers().size() - 1);
                float[][] w = rowMajor(d);
                float[] b = NdArrays.read(d.bias());
                String act = d.activationName();
                double a = d.alpha();
                steps.add(x -> dense(x, w, b, last ? "linear" : act, a));
                if (last) {
                    head = act;
                    alpha = a;
                }
            } else if (l instanceof BatchNormLayer bn && !bn.inputShape().isImage()) {
                float[][] affine = bn.inferenceAffine();
                steps.add(x -> {
                    float[] y = new float[x.length];
                    for (int j = 0; j < x.length; j++) y[j] = x[j] * affine[0][j] + affine[1][j];
                    return y;
                });
            } else if (!(l instanceof DropoutLayer || l instanceof FlattenLayer)) {
                return null;
            }
        }
        return new FastForward(steps, net.inputShape().size(), head, alpha);
    }

    /** Outputs (probabilities or values) for one scaled row. */
    public float[] apply(float[] row) {
        float[] x = row;
        for (Step s : steps) x = s.apply(x);
        switch (head) {
            case "softmax" -> {
                float max = Float.NEGATIVE_INFINITY;
                for (float v : x) max = Math.max(max, v);
                double sum = 0;
                double[] e = new double[x.length];
                for (int j = 0; j < x.length; j++) sum += e[j] = Math.exp(x[j] - max);
                for (int j = 0; j < x.length; j++) x[j] = (float) (e[j] / sum);
            }
            default -> activate(x, head, headAlpha);
        }
        return x;
    }

    public int inputWidth() {
        return inputWidth;
    }

    private static float[] dense(float[] x, float[][] w, float[] b, String act, double alpha) {
        float[] out = b.clone();
        int[] nonzero = new int[x.length];
        int count = 0;
        for (int i = 0; i < x.length; i++) {
            nonzero[count] = i;
            count += x[i] != 0f ? 1 : 0; // branch-free: which pixels are zero is random to the predictor
        }
        int n = out.length, k = 0;
        // four input rows per pass over the outputs: the pass is bound by loads and stores of
        // out[], not by the multiply-adds, so this halves the memory operations per weight
        for (; k + 3 < count; k += 4) {
            int i0 = nonzero[k], i1 = nonzero[k + 1], i2 = nonzero[k + 2], i3 = nonzero[k + 3];
            float x0 = x[i0], x1 = x[i1], x2 = x[i2], x3 = x[i3];
            float[] w0 = w[i0], w1 = w[i1], w2 = w[i2], w3 = w[i3];
            for (int j = 0; j < n; j++) out[j] += (x0 * w0[j] + x1 * w1[j]) + (x2 * w2[j] + x3 * w3[j]);
        }
        for (; k < count; k++) {
            float xi = x[nonzero[k]];
            float[] wi = w[nonzero[k]];
            for (int j = 0; j < n; j++) out[j] += xi * wi[j];
        }
        activate(out, act, alpha);
        return out;
    }

    private static void activate(float[] x, String act, double alpha) {
        switch (act) {
            case "relu" -> { for (int j = 0; j < x.length; j++) if (x[j] < 0) x[j] = 0; }
            case "leaky_relu" -> { for (int j = 0; j < x.length; j++) if (x[j] < 0) x[j] *= (float) alpha; }
            case "elu" -> { for (int j = 0; j < x.length; j++) if (x[j] < 0) x[j] = (float) (alpha * (Math.exp(x[j]) - 1)); }
            case "sigmoid" -> { for (int j = 0; j < x.length; j++) x[j] = (float) (1 / (1 + Math.exp(-x[j]))); }
            case "tanh" -> { for (int j = 0; j < x.length; j++) x[j] = (float) Math.tanh(x[j]); }
            case "softmax" -> {
                float max = Float.NEGATIVE_INFINITY;
                for (float v : x) max = Math.max(max, v);
                double sum = 0;
                for (float v : x) sum += Math.exp(v - max);
                for (int j = 0; j < x.length; j++) x[j] = (float) (Math.exp(x[j] - max) / sum);
            }
            default -> { }
        }
    }

    /** W[i][j] for input i, output j (ND4J keeps it column-major). */
    private static float[][] rowMajor(DenseLayer d) {
        float[] colMajor = NdArrays.read(d.weights());
        int nIn = (int) d.weights().size(0), nOut = (int) d.weights().size(1);
        float[][] w = new float[nIn][nOut];
        for (int j = 0; j < nOut; j++) for (int i = 0; i < nIn; i++) w[i][j] = colMajor[i + j * nIn];
        return w;
    }
}
