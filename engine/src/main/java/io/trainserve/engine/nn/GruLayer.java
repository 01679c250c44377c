package io.trainserve.engine.nn;

import io.trainserve.engine.spec.KerasDefaults;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.trainserve.engine.nn.Recurrent.apply;
import static io.trainserve.engine.nn.Recurrent.create;
import static io.trainserve.engine.nn.Recurrent.derivative;
import static io.trainserve.engine.nn.Recurrent.read;
import static io.trainserve.engine.nn.Recurrent.write;

/**
 * Keras 2's GRU with its default {@code reset_after=True} (the cuDNN form, two bias vectors) over a
 * {@code [timesteps, features]} sequence, in plain Java loops like {@link LstmLayer}:
 * <pre>
 * x_t W + b_in = [xz, xr, xh]        h_{t-1} R + b_rec = [hz, hr, hh]   (gates in Keras' order z, r, h)
 * z = rec(xz + hz)   r = rec(xr + hr)   n = act(xh + r * hh)
 * h_t = z h_{t-1} + (1 - z) n
 * </pre>
 * with {@code act} tanh and {@code rec} sigmoid by default; W {@code [features, 3 units]}, R {@code [units, 3 units]},
 * the biases {@code [2, 3 units]} as Keras stores them (input row, then recurrent row). Initialized as Keras
 * does: W glorot_uniform, R orthogonal, both biases zeros. {@code dropout} drops input features while
 * training, one mask per sequence. Backward is backpropagation through time over the last forward's cache.
 */
public final class GruLayer extends Layer {
    private final int timesteps, features, units;
    private final boolean returnSequences;
    private final String activation, recurrentActivation;
    private final double dropout;

    private INDArray params, grads;
    /** The last forward's batch: input after dropout, pre-activations (z, r, candidate), gate values, h R_h + b, outputs. */
    private int batch;
    private double[] x, pre, gate, hh, h;
    private double[] keep;

    public GruLayer(String name, Shape inputShape, int units, boolean returnSequences, String activation,
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
    public String type() { return "gru"; }

    @Override
    public Shape outputShape() { return returnSequences ? Shape.sequence(timesteps, units) : Shape.vector(units); }

    @Override
    public int paramCount() { return 3 * units * (features + units + 2); }

    private int recurrentOffset() { return features * 3 * units; }

    private int inputBiasOffset() { return (features + units) * 3 * units; }

    private int recurrentBiasOffset() { return inputBiasOffset() + 3 * units; }

    @Override
    public void bind(INDArray params, INDArray grads, INDArray state) {
        this.params = params;
        this.grads = grads;
    }

    @Override
    public void initialize(SplittableRandom rng) {
        int g = 3 * units;
        double[] p = new double[paramCount()];
        double limit = Math.sqrt(6.0 / (features + g)); // glorot_uniform over the [features, 3 units] kernel
        for (int i = 0; i < features * g; i++) p[i] = (rng.nextDouble() * 2 - 1) * limit;
        double[][] q = Recurrent.orthonormalRows(units, g, rng);
        for (int r = 0; r < units; r++) System.arraycopy(q[r], 0, p, recurrentOffset() + r * g, g);
        write(p, params); // both biases zeros
    }

    @Override
    public INDArray forward(INDArray input, ForwardContext context) {
        batch = (int) input.size(0);
        int g = 3 * units;
        double[] p = read(params);
        x = read(input);
        keep = Recurrent.dropInputs(x, batch, timesteps, features, dropout, context);
        pre = new double[batch * timesteps * g];
        gate = new double[batch * timesteps * g];
        hh = new double[batch * timesteps * units];
        h = new double[batch * timesteps * units];
        double[] xw = new double[g], hr = new double[g];
        for (int n = 0; n < batch; n++) {
            for (int t = 0; t < timesteps; t++) {
                int zt = (n * timesteps + t) * g, xt = (n * timesteps + t) * features, ht = (n * timesteps + t) * units;
                int prev = t == 0 ? -1 : ht - units;
                System.arraycopy(p, inputBiasOffset(), xw, 0, g);
                System.arraycopy(p, recurrentBiasOffset(), hr, 0, g);
                for (int f = 0; f < features; f++) {
                    double xv = x[xt + f];
                    if (xv == 0) continue;
                    for (int j = 0; j < g; j++) xw[j] += xv * p[f * g + j];
                }
                if (prev >= 0) {
                    for (int u = 0; u < units; u++) {
                        double hv = h[prev + u];
                        for (int j = 0; j < g; j++) hr[j] += hv * p[recurrentOffset() + u * g + j];
                    }
                }
                for (int u = 0; u < units; u++) {
                    double az = xw[u] + hr[u], ar = xw[units + u] + hr[units + u];
                    double z = apply(recurrentActivation, az), r = apply(recurrentActivation, ar);
                    double an = xw[2 * units + u] + r * hr[2 * units + u];
                    double cand = apply(activation, an);
                    pre[zt + u] = az;
                    pre[zt + units + u] = ar;
                    pre[zt + 2 * units + u] = an;
                    gate[zt + u] = z;
                    gate[zt + units + u] = r;
                    gate[zt + 2 * units + u] = cand;
                    hh[ht + u] = hr[2 * units + u];
                    h[ht + u] = z * (prev >= 0 ? h[prev + u] : 0) + (1 - z) * cand;
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
        int g = 3 * units;
        double[] p = read(params);
        double[] e = read(epsilon);
        double[] dp = new double[paramCount()];
        double[] dx = new double[batch * timesteps * features];
        // dIn: dL/d(x W + b_in); dRec: dL/d(h R + b_rec), which differs in the candidate's part (times r)
        double[] dh = new double[units], dIn = new double[g], dRec = new double[g];
        for (int n = 0; n < batch; n++) {
            Arrays.fill(dh, 0);
            for (int t = timesteps - 1; t >= 0; t--) {
                int zt = (n * timesteps + t) * g, xt = (n * timesteps + t) * features, ht = (n * timesteps + t) * units;
                int prev = t == 0 ? -1 : ht - units;
                if (returnSequences) {
                    for (int u = 0; u < units; u++) dh[u] += e[ht + u];
                } else if (t == timesteps - 1) {
                    for (int u = 0; u < units; u++) dh[u] += e[n * units + u];
                }
                for (int u = 0; u < units; u++) {
                    double z = gate[zt + u], r = gate[zt + units + u], cand = gate[zt + 2 * units + u];
                    double hPrev = prev >= 0 ? h[prev + u] : 0;
                    double dCand = dh[u] * (1 - z) * derivative(activation, pre[zt + 2 * units + u]);
                    dIn[u] = dRec[u] = dh[u] * (hPrev - cand) * derivative(recurrentActivation, pre[zt + u]);
                    dIn[units + u] = dRec[units + u] = dCand * hh[ht + u] * derivative(recurrentActivation, pre[zt + units + u]);
                    dIn[2 * units + u] = dCand;
                    dRec[2 * units + u] = dCand * r;
                    dh[u] *= z; // the direct path z * h_{t-1}
                }
                for (int j = 0; j < g; j++) {
                    dp[inputBiasOffset() + j] += dIn[j];
                    dp[recurrentBiasOffset() + j] += dRec[j]; // the recurrent bias acts at t = 0 too
                }
                for (int f = 0; f < features; f++) {
                    double xv = x[xt + f], sum = 0;
                    for (int j = 0; j < g; j++) {
                        dp[f * g + j] += xv * dIn[j];
                        sum += dIn[j] * p[f * g + j];
                    }
                    dx[xt + f] = keep == null ? sum : sum * keep[n * features + f];
                }
                for (int u = 0; u < units; u++) {
                    double hv = prev >= 0 ? h[prev + u] : 0, sum = 0;
                    for (int j = 0; j < g; j++) {
                        if (prev >= 0) dp[recurrentOffset() + u * g + j] += hv * dRec[j];
                        sum += dRec[j] * p[recurrentOffset() + u * g + j];
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
        int w = inputBiasOffset();
        return List.<INDArray[]>of(new INDArray[]{params.get(DenseLayer.interval(0, w)), grads.get(DenseLayer.interval(0, w))});
    }
}
