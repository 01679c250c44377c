package io.trainserve.engine.nn;

import io.trainserve.engine.spec.KerasDefaults;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.trainserve.engine.nn.Recurrent.create;
import static io.trainserve.engine.nn.Recurrent.read;
import static io.trainserve.engine.nn.Recurrent.write;

/**
 * A Keras recurrent layer over a {@code [timesteps, features]} sequence, in plain Java loops (correctness first):
 * its kernel W {@code [features, gates * units]}, recurrent kernel R {@code [units, gates * units]} and biases,
 * laid out as Keras stores them; the input dropout, the output (every step or the last), and backpropagation
 * through time, where each subclass says what one step computes ({@link #steps}) and what flows back
 * through one step ({@link #stepBack}); the products with W and R and their gradients are shared here.
 */
abstract class RecurrentLayer extends Layer {
    protected final int timesteps, features, units;
    /** gates * units: the width of x W and h R */
    protected final int width;
    private final boolean returnSequences;
    protected final String activation, recurrentActivation;
    private final double dropout;

    private INDArray params, grads;
    /** The last forward's batch, its input after dropout and every step's output. */
    protected int batch;
    protected double[] x, h;
    private double[] keep;

    RecurrentLayer(String name, Shape inputShape, int units, int gates, boolean returnSequences, String activation,
                   String recurrentActivation, Double dropout) {
        super(name, inputShape);
        this.timesteps = inputShape.timesteps();
        this.features = inputShape.features();
        this.units = units;
        this.width = gates * units;
        this.returnSequences = returnSequences;
        this.activation = activation == null ? KerasDefaults.RECURRENT_CELL_ACTIVATION.wire() : activation;
        this.recurrentActivation = recurrentActivation == null ? KerasDefaults.RECURRENT_GATE_ACTIVATION.wire() : recurrentActivation;
        this.dropout = dropout == null ? 0 : dropout;
    }

    @Override
    public Shape outputShape() { return returnSequences ? Shape.sequence(timesteps, units) : Shape.vector(units); }

    protected int recurrentOffset() { return features * width; }

    /** Where the bias (or the biases) start, after both kernels. */
    protected int biasOffset() { return (features + units) * width; }

    @Override
    public void bind(INDArray params, INDArray grads, INDArray state) {
        this.params = params;
        this.grads = grads;
    }

    /** Keras' initializers: glorot_uniform kernel, orthogonal recurrent kernel, then {@link #initBiases} (zeros by default). */
    @Override
    public void initialize(SplittableRandom rng) {
        double[] p = new double[paramCount()];
        double limit = Math.sqrt(6.0 / (features + width)); // glorot_uniform over the [features, gates * units] kernel
        for (int i = 0; i < features * width; i++) p[i] = (rng.nextDouble() * 2 - 1) * limit;
        double[][] q = Recurrent.orthonormalRows(units, width, rng);
        for (int r = 0; r < units; r++) System.arraycopy(q[r], 0, p, recurrentOffset() + r * width, width);
        initBiases(p);
        write(p, params);
    }

    protected void initBiases(double[] p) {
    }

    @Override
    public final INDArray forward(INDArray input, ForwardContext context) {
        batch = (int) input.size(0);
        x = read(input);
        keep = Recurrent.dropInputs(x, batch, timesteps, features, dropout, context);
        h = new double[batch * timesteps * units];
        steps(read(params));
        if (returnSequences) return create(h, input, batch, timesteps, units);
        double[] last = new double[batch * units];
        for (int n = 0; n < batch; n++) System.arraycopy(h, (n * timesteps + timesteps - 1) * units, last, n * units, units);
        return create(last, input, batch, units);
    }

    /** Runs every sequence of the batch in {@link #x} step by step, writing {@link #h} and what {@link #stepBack} needs. */
    protected abstract void steps(double[] p);

    /** {@code out[0, width) = b + sum_f x[xt + f] W[f, :]} (the bias at {@code biasAt}). */
    protected final void inputProduct(double[] p, int xt, int biasAt, double[] out) {
        System.arraycopy(p, biasAt, out, 0, width);
        for (int f = 0; f < features; f++) {
            double xv = x[xt + f];
            if (xv == 0) continue;
            for (int j = 0; j < width; j++) out[j] += xv * p[f * width + j];
        }
    }

    /** {@code out[0, width) += sum_u h[prev + u] R[u, :]}; nothing at the first step ({@code prev < 0}). */
    protected final void recurrentProduct(double[] p, int prev, double[] out) {
        if (prev < 0) return;
        for (int u = 0; u < units; u++) {
            double hv = h[prev + u];
            for (int j = 0; j < width; j++) out[j] += hv * p[recurrentOffset() + u * width + j];
        }
    }

    /**
     * One step back: from {@code dh} (dL/dh_t) the gradients of the step's two products, {@code dIn} for
     * {@code x_t W + b} and {@code dRec} for {@code h_{t-1} R (+ b_rec)} (the same array when they are one sum),
     * leaving in {@code dh} what reaches h_{t-1} other than through R.
     *
     * @param first the sequence's last step, where backpropagation starts (reset per-sequence state)
     */
    protected abstract void stepBack(int n, int t, boolean first, double[] dh, double[] dIn, double[] dRec);

    /** Adds a step's {@code dIn} / {@code dRec} to the bias gradients. */
    protected abstract void addBiasGradients(double[] dp, double[] dIn, double[] dRec);

    /** {@code dIn} and {@code dRec} are the same array (one sum, one bias: the LSTM). */
    protected abstract boolean oneSum();

    @Override
    public final INDArray backward(INDArray epsilon, boolean needInputGradient) {
        double[] p = read(params), e = read(epsilon);
        double[] dp = new double[paramCount()];
        double[] dx = new double[batch * timesteps * features];
        double[] dh = new double[units], dIn = new double[width], dRec = oneSum() ? dIn : new double[width];
        for (int n = 0; n < batch; n++) {
            Arrays.fill(dh, 0);
            for (int t = timesteps - 1; t >= 0; t--) {
                int xt = (n * timesteps + t) * features, ht = (n * timesteps + t) * units;
                int prev = t == 0 ? -1 : ht - units;
                if (returnSequences) {
                    for (int u = 0; u < units; u++) dh[u] += e[ht + u];
                } else if (t == timesteps - 1) {
                    for (int u = 0; u < units; u++) dh[u] += e[n * units + u];
                }
                stepBack(n, t, t == timesteps - 1, dh, dIn, dRec);
                addBiasGradients(dp, dIn, dRec);
                for (int f = 0; f < features; f++) {
                    double xv = x[xt + f], sum = 0;
                    for (int j = 0; j < width; j++) {
                        dp[f * width + j] += xv * dIn[j];
                        sum += dIn[j] * p[f * width + j];
                    }
                    dx[xt + f] = keep == null ? sum : sum * keep[n * features + f];
                }
                for (int u = 0; u < units; u++) {
                    double hv = prev >= 0 ? h[prev + u] : 0, sum = 0;
                    for (int j = 0; j < width; j++) {
                        if (prev >= 0) dp[recurrentOffset() + u * width + j] += hv * dRec[j];
                        sum += dRec[j] * p[recurrentOffset() + u * width + j];
                    }
                    dh[u] += sum;
                }
            }
        }
        write(dp, grads);
        return needInputGradient ? create(dx, epsilon, batch, timesteps, features) : null;
    }

    @Override
    public List<INDArray[]> penalized() {
        // training.regularization's L1/L2 apply to both weight matrices (kernel and recurrent kernel), not the biases
        int w = biasOffset();
        return List.<INDArray[]>of(new INDArray[]{params.get(DenseLayer.interval(0, w)), grads.get(DenseLayer.interval(0, w))});
    }
}
