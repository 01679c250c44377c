package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sigmoid + binary cross-entropy on one output unit, fused and stable:
 * loss = max(z,0) - z*y + log(1 + exp(-|z|)), dL/dz = (sigmoid(z) - y) / n. Class index 1 is the positive class.
 */
public final class SigmoidBinaryCrossEntropy implements LossHead {
    private double[] z = new double[0];
    private double[] grad = new double[0];

    @Override
    public double apply(INDArray zArr, int[] classes, float[] values, float[] outputs, INDArray dz) {
        int n = (int) zArr.size(0);
        read(zArr, n);
        double total = 0;
        for (int i = 0; i < n; i++) {
            double zi = z[i];
            double y = classes[i];
            total += Math.max(zi, 0) - zi * y + Math.log1p(Math.exp(-Math.abs(zi)));
            outputs[i] = (float) sigmoid(zi);
            grad[i] = (sigmoid(zi) - y) / n;
        }
        if (dz != null) NdArrays.write(grad, dz);
        return total / n;
    }

    @Override
    public void outputs(INDArray zArr, float[] outputs) {
        int n = (int) zArr.size(0);
        read(zArr, n);
        for (int i = 0; i < n; i++) outputs[i] = (float) sigmoid(z[i]);
    }

    @Override
    public boolean classification() { return true; }

    private void read(INDArray zArr, int n) {
        if (z.length < n) {
            z = new double[n];
            grad = new double[n];
        }
        NdArrays.read(zArr, z);
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
