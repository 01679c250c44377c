package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.SplittableRandom;

/**
 * What the recurrent layers ({@link LstmLayer}, {@link GruLayer}) share: their activations with derivatives,
 * Keras' orthogonal initializer, the input dropout mask (one per sequence, for all time steps) and the
 * copies between ND4J arrays and the plain Java arrays their loops run on (float64 in gradient checks).
 */
final class Recurrent {
    /** The activations a recurrent layer supports for its cell and its gates. */
    static final List<String> ACTIVATIONS = List.of("tanh", "sigmoid", "relu", "linear");

    private Recurrent() {
    }

    static double apply(String name, double v) {
        return switch (name) {
            case "sigmoid" -> 1 / (1 + Math.exp(-v));
            case "tanh" -> Math.tanh(v);
            case "relu" -> Math.max(0, v);
            default -> v;
        };
    }

    /** d apply(name, v) / dv at the pre-activation v. */
    static double derivative(String name, double v) {
        return switch (name) {
            case "sigmoid" -> {
                double s = 1 / (1 + Math.exp(-v));
                yield s * (1 - s);
            }
            case "tanh" -> {
                double th = Math.tanh(v);
                yield 1 - th * th;
            }
            case "relu" -> v > 0 ? 1 : 0;
            default -> 1;
        };
    }

    /** Keras' Orthogonal for a {@code rows x cols} matrix with rows <= cols: Gram-Schmidt on Gaussian rows (QR with signs fixed). */
    static double[][] orthonormalRows(int rows, int cols, SplittableRandom rng) {
        double[][] q = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) q[r][j] = Initializers.gaussian(rng);
            for (int k = 0; k < r; k++) {
                double dot = 0;
                for (int j = 0; j < cols; j++) dot += q[r][j] * q[k][j];
                for (int j = 0; j < cols; j++) q[r][j] -= dot * q[k][j];
            }
            double norm = 0;
            for (int j = 0; j < cols; j++) norm += q[r][j] * q[r][j];
            norm = Math.sqrt(norm);
            for (int j = 0; j < cols; j++) q[r][j] /= norm;
        }
        return q;
    }

    /**
     * Keras' recurrent {@code dropout}: drops input features with one mask per sequence for all its time
     * steps, scaling the kept ones by 1/(1-rate), in place on {@code x} ({@code [batch, timesteps, features]}).
     *
     * @return the mask {@code [batch, features]} (0 or the scale), or null when nothing is dropped
     */
    static double[] dropInputs(double[] x, int batch, int timesteps, int features, double rate, ForwardContext context) {
        if (!context.training() || rate <= 0) return null;
        double[] keep = new double[batch * features];
        for (int i = 0; i < keep.length; i++) keep[i] = context.random().nextDouble() < rate ? 0 : 1 / (1 - rate);
        for (int n = 0; n < batch; n++) {
            for (int t = 0; t < timesteps; t++) {
                for (int f = 0; f < features; f++) x[(n * timesteps + t) * features + f] *= keep[n * features + f];
            }
        }
        return keep;
    }

    static double[] read(INDArray a) {
        return a.dup('c').data().asDouble();
    }

    static void write(double[] values, INDArray dst) {
        dst.assign(Nd4j.create(values, dst.shape(), 'c').castTo(dst.dataType()));
    }

    static INDArray create(double[] values, INDArray like, long... shape) {
        return Nd4j.create(values, shape, 'c').castTo(like.dataType());
    }
}
