package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Central finite differences against backpropagation, in double precision. Gradients are
 * pre-filled with NaN so a layer that forgets to write one fails loudly. Dropout masks are
 * made repeatable by a fresh generator with the same seed for every forward pass.
 */
final class GradientChecker {
    static final double EPS = 1e-6;
    static final double MAX_RELATIVE = 1e-5;
    static final double MAX_ABSOLUTE = 1e-8;

    private GradientChecker() {
    }

    /** One mismatch, for a readable failure message. */
    record Mismatch(String what, int index, double analytic, double numeric) {
        @Override
        public String toString() {
            return what + "[" + index + "]: backprop " + analytic + " vs numeric " + numeric;
        }
    }

    /** A batch of inputs with targets of the kind the network's head needs. */
    record Batch(INDArray x, int[] classes, float[] values) {
    }

    /** Compares network.grads() with numeric derivatives of the mean loss over every parameter. */
    static List<Mismatch> checkNetwork(Network net, Batch b, long dropoutSeed) {
        INDArray grads = net.grads();
        grads.assign(Double.NaN);
        INDArray z = net.forward(b.x(), training(dropoutSeed), 0);
        INDArray dz = Nd4j.create(z.dataType(), z.shape(), z.ordering());
        net.head().apply(z, b.classes(), b.values(), new float[(int) z.length()], dz);
        net.backward(dz, 0);
        double[] analytic = grads.toDoubleVector();

        INDArray params = net.params();
        List<Mismatch> bad = new ArrayList<>();
        for (int i = 0; i < net.paramCount(); i++) {
            double orig = params.getDouble(i);
            params.putScalar(i, orig + EPS);
            double plus = loss(net, b, dropoutSeed);
            params.putScalar(i, orig - EPS);
            double minus = loss(net, b, dropoutSeed);
            params.putScalar(i, orig);
            double numeric = (plus - minus) / (2 * EPS);
            if (!close(analytic[i], numeric)) bad.add(new Mismatch(owner(net, i), i, analytic[i], numeric));
        }
        return bad;
    }

    static double loss(Network net, Batch b, long dropoutSeed) {
        INDArray z = net.forward(b.x(), training(dropoutSeed), 0);
        return net.head().apply(z, b.classes(), b.values(), new float[(int) z.length()], null);
    }

    /**
     * One layer on its own, with loss = sum(output * r) for a fixed random r, so dL/dOutput = r:
     * checks dL/dInput as well as the parameter gradients.
     */
    static List<Mismatch> checkLayer(Layer layer, INDArray x, long seed) {
        int p = layer.paramCount(), s = layer.stateCount();
        INDArray params = p == 0 ? null : Nd4j.create(x.dataType(), p);
        INDArray grads = p == 0 ? null : Nd4j.create(x.dataType(), p);
        INDArray state = s == 0 ? null : Nd4j.create(x.dataType(), s);
        layer.bind(params, grads, state);
        if (p > 0) params.assign(randn(new long[]{p}, new Random(seed)).muli(0.5));
        if (p > 0) grads.assign(Double.NaN);

        INDArray out = layer.forward(x, training(seed));
        INDArray r = randn(out.shape(), new Random(seed + 1));
        INDArray dx = layer.backward(r.dup(), true).dup();

        List<Mismatch> bad = new ArrayList<>();
        INDArray flatX = x.reshape(x.length()); // a view: perturbing it perturbs x
        for (int i = 0; i < x.length(); i++) {
            double numeric = perturbed(layer, x, flatX, i, r, seed);
            double analytic = dx.reshape(dx.length()).getDouble(i);
            if (!close(analytic, numeric)) bad.add(new Mismatch("input", i, analytic, numeric));
        }
        for (int i = 0; i < p; i++) {
            double numeric = perturbed(layer, x, params, i, r, seed);
            if (!close(grads.getDouble(i), numeric)) bad.add(new Mismatch("param", i, grads.getDouble(i), numeric));
        }
        return bad;
    }

    private static double perturbed(Layer layer, INDArray x, INDArray flat, int i, INDArray r, long seed) {
        double orig = flat.getDouble(i);
        flat.putScalar(i, orig + EPS);
        double plus = layer.forward(x, training(seed)).mul(r).sumNumber().doubleValue();
        flat.putScalar(i, orig - EPS);
        double minus = layer.forward(x, training(seed)).mul(r).sumNumber().doubleValue();
        flat.putScalar(i, orig);
        return (plus - minus) / (2 * EPS);
    }

    static boolean close(double analytic, double numeric) {
        if (!Double.isFinite(analytic)) return false;
        double diff = Math.abs(analytic - numeric);
        return diff < MAX_ABSOLUTE || diff / Math.max(Math.abs(analytic), Math.abs(numeric)) < MAX_RELATIVE;
    }

    static ForwardContext training(long seed) {
        return new ForwardContext(true, new java.util.SplittableRandom(seed));
    }

    /** Standard normal values from a Java generator (independent of ND4J's global RNG), c-order. */
    static INDArray randn(long[] shape, Random rng) {
        INDArray a = Nd4j.create(Nd4j.defaultFloatingPointType(), shape, 'c');
        double[] v = new double[(int) a.length()];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian();
        NdArrays.write(v, a);
        return a;
    }

    private static String owner(Network net, int param) {
        for (int l = 0; l < net.layers().size(); l++) {
            if (param < net.paramOffset(l + 1)) return net.layers().get(l).name() + "@" + (param - net.paramOffset(l));
        }
        return "?";
    }
}
