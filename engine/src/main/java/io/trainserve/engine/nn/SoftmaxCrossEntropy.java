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

    @Override
    public double apply(INDArray zArr, int[] classes, float[] values, float[] outputs, INDArray dz) {
        int n = (int) zArr.size(0), k = (int) zArr.size(1);
        read(zArr, n, k);
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += softmaxRow(i, n, k, outputs) - z[at(i, classes[i], n, k)];
            if (dz != null) {
                for (int j = 0; j < k; j++) {
                    double y = j == classes[i] ? 1.0 : 0.0;
                    grad[index(dz, i, j, n, k)] = (probability(i, j, n, k) - y) / n;
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
        for (int i = 0; i < n; i++) softmaxRow(i, n, k, outputs);
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

    /** Writes softmax of row i into outputs (row-major) and returns logsumexp of the row. */
    private double softmaxRow(int i, int n, int k, float[] outputs) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) max = Math.max(max, z[at(i, j, n, k)]);
        double sum = 0;
        for (int j = 0; j < k; j++) sum += Math.exp(z[at(i, j, n, k)] - max);
        for (int j = 0; j < k; j++) outputs[i * k + j] = (float) (Math.exp(z[at(i, j, n, k)] - max) / sum);
        return max + Math.log(sum);
    }

    private double probability(int i, int j, int n, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) max = Math.max(max, z[at(i, c, n, k)]);
        double sum = 0;
        for (int c = 0; c < k; c++) sum += Math.exp(z[at(i, c, n, k)] - max);
        return Math.exp(z[at(i, j, n, k)] - max) / sum;
    }

    private int at(int i, int j, int n, int k) {
        return order == 'f' ? i + j * n : i * k + j;
    }

    private static int index(INDArray a, int i, int j, int n, int k) {
        return a.ordering() == 'f' ? i + j * n : i * k + j;
    }
}
