package io.trainserve.engine.nn;

import io.trainserve.engine.spec.KerasDefaults;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.SplittableRandom;

import static io.trainserve.engine.nn.Recurrent.apply;
import static io.trainserve.engine.nn.Recurrent.create;
import static io.trainserve.engine.nn.Recurrent.derivative;
import static io.trainserve.engine.nn.Recurrent.read;
import static io.trainserve.engine.nn.Recurrent.write;

/**
 * Keras' LSTM over a {@code [timesteps, features]} sequence, in plain Java loops (correctness first):
 * <pre>
 * z = x_t W + h_{t-1} R + b          (gates in Keras' order i, f, c, o; W [features, 4 units], R [units, 4 units])
 * i = rec(z_i)  f = rec(z_f)  g = act(z_c)  o = rec(z_o)
 * c_t = f c_{t-1} + i g              h_t = o act(c_t)
 * </pre>
 * with {@code act} tanh and {@code rec} sigmoid by default. Initialized as Keras does: W glorot_uniform,
 * R orthogonal, b zeros but the forget gate's ones (unit_forget_bias). {@code dropout} drops input
 * features while training, with one mask per sequence for all time steps. Backward is backpropagation
 * through time over the cached gates and cell states of the last forward call.
 */
public final class LstmLayer extends Layer {
    private final int timesteps, features, units;
    private final boolean returnSequences;
    private final String activation, recurrentActivation;
    private final double dropout;

    private INDArray params, grads;
    /** The last forward's batch: input after dropout, gate pre-activations and values, cell states and outputs. */
    private int batch;
    private double[] x, z, gate, c, h;
    private double[] keep;

    public LstmLayer(String name, Shape inputShape, int units, boolean returnSequences, String activation,
                     String recurrentActivation, Double dropout) {
        super(name, inputShape);
        this.timesteps = inputShape.timesteps();
        this.features = inputShape.features();
        this.units = units;
        this.returnSequences = returnSequences;
        this.activation = activation == null ? KerasDefaults.RECURRENT_CELL_ACTIVATION.wire() : activation;
        this.recurrentActivation = recurrentActivation == null ? KerasDefaults.RECURRENT_GATE_ACTIVATION.wire() : recurrentActivation;
        this.dropout = dropout == null ? 0 : dropout;
    }

    @Override
    public String type() { return "lstm"; }

    @Override
    public Shape outputShape() { return returnSequences ? Shape.sequence(timesteps, units) : Shape.vector(units); }

    @Override
    public int paramCount() { return 4 * units * (features + units + 1); }

    private int recurrentOffset() { return features * 4 * units; }

    private int biasOffset() { return (features + units) * 4 * units; }

    @Override
    public void bind(INDArray params, INDArray grads, INDArray state) {
        this.params = params;
        this.grads = grads;
    }

    @Override
    public void initialize(SplittableRandom rng) {
        int g = 4 * units;
        double[] p = new double[paramCount()];
        double limit = Math.sqrt(6.0 / (features + g)); // glorot_uniform over the [features, 4 units] kernel
        for (int i = 0; i < features * g; i++) p[i] = (rng.nextDouble() * 2 - 1) * limit;
        double[][] q = Recurrent.orthonormalRows(units, g, rng);
        for (int r = 0; r < units; r++) System.arraycopy(q[r], 0, p, recurrentOffset() + r * g, g);
        for (int u = 0; u < units; u++) p[biasOffset() + units + u] = 1; // unit_forget_bias
        write(p, params);
    }

    @Override
    public INDArray forward(INDArray input, ForwardContext context) {
        batch = (int) input.size(0);
        int g = 4 * units;
        double[] p = read(params);
        x = read(input);
        keep = Recurrent.dropInputs(x, batch, timesteps, features, dropout, context);
        z = new double[batch * timesteps * g];
        gate = new double[batch * timesteps * g];
        c = new double[batch * timesteps * units];
        h = new double[batch * timesteps * units];
        for (int n = 0; n < batch; n++) {
            for (int t = 0; t < timesteps; t++) {
                int zt = (n * timesteps + t) * g, xt = (n * timesteps + t) * features, ht = (n * timesteps + t) * units;
                int prev = t == 0 ? -1 : ht - units;
                for (int j = 0; j < g; j++) z[zt + j] = p[biasOffset() + j];
                for (int f = 0; f < features; f++) {
                    double xv = x[xt + f];
                    if (xv == 0) continue;
                    for (int j = 0; j < g; j++) z[zt + j] += xv * p[f * g + j];
                }
                if (prev >= 0) {
                    for (int u = 0; u < units; u++) {
                        double hv = h[prev + u];
                        for (int j = 0; j < g; j++) z[zt + j] += hv * p[recurrentOffset() + u * g + j];
                    }
                }
                for (int j = 0; j < g; j++) {
                    boolean cell = j >= 2 * units && j < 3 * units;
                    gate[zt + j] = apply(cell ? activation : recurrentActivation, z[zt + j]);
                }
                for (int u = 0; u < units; u++) {
                    double cPrev = prev >= 0 ? c[prev + u] : 0;
                    double cv = gate[zt + units + u] * cPrev + gate[zt + u] * gate[zt + 2 * units + u];
                    c[ht + u] = cv;
                    h[ht + u] = gate[zt + 3 * units + u] * apply(activation, cv);
                }
            }
        }
        if (returnSequences) return create(h, input, batch, timesteps, units);
        double[] last = new double[batch * units];
        for (int n = 0; n < batch; n++) System.arraycopy(h, (n * timesteps + timesteps - 1) * units, last, n * units, units);
        return create(last, input, batch, units);
    }

    @Override
    public INDArray backward(INDArray epsilon, boolean needInputGradient) {
        int g = 4 * units;
        double[] p = read(params);
        double[] e = read(epsilon);
        double[] dp = new double[paramCount()];
        double[] dx = new double[batch * timesteps * features];
        double[] dh = new double[units], dc = new double[units], dz = new double[g];
        for (int n = 0; n < batch; n++) {
            java.util.Arrays.fill(dh, 0);
            java.util.Arrays.fill(dc, 0);
            for (int t = timesteps - 1; t >= 0; t--) {
                int zt = (n * timesteps + t) * g, xt = (n * timesteps + t) * features, ht = (n * timesteps + t) * units;
                int prev = t == 0 ? -1 : ht - units;
                if (returnSequences) {
                    for (int u = 0; u < units; u++) dh[u] += e[ht + u];
                } else if (t == timesteps - 1) {
                    for (int u = 0; u < units; u++) dh[u] += e[n * units + u];
                }
                for (int u = 0; u < units; u++) {
                    double i = gate[zt + u], f = gate[zt + units + u], gg = gate[zt + 2 * units + u], o = gate[zt + 3 * units + u];
                    double cv = c[ht + u], cPrev = prev >= 0 ? c[prev + u] : 0;
                    double ac = apply(activation, cv);
                    double dcu = dc[u] + dh[u] * o * derivative(activation, cv);
                    dz[u] = dcu * gg * derivative(recurrentActivation, z[zt + u]);
                    dz[units + u] = dcu * cPrev * derivative(recurrentActivation, z[zt + units + u]);
                    dz[2 * units + u] = dcu * i * derivative(activation, z[zt + 2 * units + u]);
                    dz[3 * units + u] = dh[u] * ac * derivative(recurrentActivation, z[zt + 3 * units + u]);
                    dc[u] = dcu * f;
                }
                for (int j = 0; j < g; j++) dp[biasOffset() + j] += dz[j];
                for (int f = 0; f < features; f++) {
                    double xv = x[xt + f], sum = 0;
                    for (int j = 0; j < g; j++) {
                        dp[f * g + j] += xv * dz[j];
                        sum += dz[j] * p[f * g + j];
                    }
                    dx[xt + f] = keep == null ? sum : sum * keep[n * features + f];
                }
                for (int u = 0; u < units; u++) {
                    double hv = prev >= 0 ? h[prev + u] : 0, sum = 0;
                    for (int j = 0; j < g; j++) {
                        if (prev >= 0) dp[recurrentOffset() + u * g + j] += hv * dz[j];
                        sum += dz[j] * p[recurrentOffset() + u * g + j];
                    }
                    dh[u] = sum;
                }
            }
        }
        write(dp, grads);
        return needInputGradient ? create(dx, epsilon, batch, timesteps, features) : null;
    }

    @Override
    public List<INDArray[]> penalized() {
        // training.regularization's L1/L2 apply to both weight matrices (kernel and recurrent kernel), not the bias
        int w = biasOffset();
        return List.<INDArray[]>of(new INDArray[]{params.get(DenseLayer.interval(0, w)), grads.get(DenseLayer.interval(0, w))});
    }
}
