package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Softmax + categorical cross-entropy, fused: loss = logsumexp(z) - z_y computed with the max
 * subtracted, so it is finite for any finite logits (ND4J's LossMCXENT clips probabilities at
 * 1e-10 instead, which caps the loss at 23 and hides divergence), and dL/dz = (softmax(z) - y) / n.
 * Serves both categorical and sparse categorical cross-entropy: labels are class indices either way.
 */
public final class SoftmaxCrossEntropy implements LossHead {
    private double[] z = new double[0];
    private double[] grad = new double[0];
    /** The last row's exp(z - max) and their sum: one exp per logit serves the outputs and the gradient. */
    private double[] exps = new double[0];
    private double expSum;

    @Override
    public double apply(INDArray zArr, int[] classes, float[] values, float[] outputs, INDArray dz) {
        int n = (int) zArr.size(0), k = (int) zArr.size(1);
        read(zArr, n, k);
        char gradOrder = dz == null ? 'c' : dz.ordering();
        double total = 0;
        for (int i = 0; i < n; i++) {
            double lse = softmaxRow(i, n, k, outputs, true);
            total += lse - z[at(order, i, classes[i], n, k)];
            if (dz != null) {
                for (int j = 0; j < k; j++) {
                    double p = exps[j] / expSum; // the double probability, not the rounded float output
                    grad[at(gradOrder, i, j, n, k)] = (p - (j == classes[i] ? 1.0 : 0.0)) / n;
                }
            }
        }
        if (dz != null) NdArrays.write(grad, dz);
        return total / n;
    }

    @Override
    public void outputs(INDArray zArr, float[] outputs) {
        int n = (int) zArr.size(0), k = (int) zArr.size(1);
        read(zArr, n, k);
        for (int i = 0; i < n; i++) softmaxRow(i, n, k, outputs, false);
    }

    @Override
    public boolean classification() { return true; }

    private void read(INDArray zArr, int n, int k) {
        if (z.length < n * k) {
            z = new double[n * k];
            grad = new double[n * k];
        }
        NdArrays.read(zArr, z);
        this.order = zArr.ordering();
    }

    private char order;

    /** Writes softmax of row i into outputs (row-major), keeps its exps, and returns logsumexp of the row if asked (predict needs no loss). */
    private double softmaxRow(int i, int n, int k, float[] outputs, boolean logSumExp) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) max = Math.max(max, z[at(order, i, j, n, k)]);
        if (exps.length < k) exps = new double[k];
        double sum = 0;
        for (int j = 0; j < k; j++) sum += exps[j] = Math.exp(z[at(order, i, j, n, k)] - max);
        for (int j = 0; j < k; j++) outputs[i * k + j] = (float) (exps[j] / sum);
        expSum = sum;
        return logSumExp ? max + Math.log(sum) : 0;
    }

    private static int at(char order, int i, int j, int n, int k) {
        return order == 'f' ? i + j * n : i * k + j;
    }
}
