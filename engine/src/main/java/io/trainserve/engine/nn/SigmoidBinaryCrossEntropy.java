package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sigmoid + binary cross-entropy on k output units, fused and stable:
 * loss = max(z,0) - z*y + log(1 + exp(-|z|)) averaged over units and rows (as Keras' binary_crossentropy),
 * dL/dz = (sigmoid(z) - y) / (n k). The targets y are, per row: the class index of a two-class target
 * (one unit; class index 1 is the positive class), else {@code values} row-major {@code n x k} — the
 * 0/1 labels of a multi-label target, or the values in [0, 1] of a 0-1 regression.
 */
public final class SigmoidBinaryCrossEntropy implements LossHead {
    private double[] z = new double[0];
    private double[] grad = new double[0];
    private char order;

    @Override
    public double apply(INDArray zArr, int[] classes, float[] values, float[] outputs, INDArray dz) {
        int n = (int) zArr.size(0), k = (int) zArr.size(1);
        read(zArr, n, k);
        char gradOrder = dz == null ? 'c' : dz.ordering();
        double total = 0, scale = 1.0 / ((double) n * k);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                double zi = z[at(order, i, j, n, k)];
                double y = classes != null ? classes[i] : values[i * k + j];
                double p = sigmoid(zi);
                total += Math.max(zi, 0) - zi * y + Math.log1p(Math.exp(-Math.abs(zi)));
                outputs[i * k + j] = (float) p;
                grad[at(gradOrder, i, j, n, k)] = (p - y) * scale;
            }
        }
        if (dz != null) NdArrays.write(grad, dz);
        return total * scale;
    }

    @Override
    public void outputs(INDArray zArr, float[] outputs) {
        int n = (int) zArr.size(0), k = (int) zArr.size(1);
        read(zArr, n, k);
        for (int i = 0; i < n; i++) for (int j = 0; j < k; j++) outputs[i * k + j] = (float) sigmoid(z[at(order, i, j, n, k)]);
    }

    @Override
    public boolean classification() { return true; }

    private void read(INDArray zArr, int n, int k) {
        if (z.length < n * k) {
            z = new double[n * k];
            grad = new double[n * k];
        }
        NdArrays.read(zArr, z);
        order = zArr.ordering();
    }

    private static int at(char order, int i, int j, int n, int k) {
        return order == 'f' ? i + j * n : i * k + j;
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
