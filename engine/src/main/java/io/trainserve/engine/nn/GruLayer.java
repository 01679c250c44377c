package io.trainserve.engine.nn;

import static io.trainserve.engine.nn.Recurrent.apply;
import static io.trainserve.engine.nn.Recurrent.derivative;

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
public final class GruLayer extends RecurrentLayer {
    /** The last forward's pre-activations (z, r, candidate), gate values (z, r, candidate) and h_{t-1} R_h + b_rec_h. */
    private double[] pre, gate, hh;

    public GruLayer(String name, Shape inputShape, int units, boolean returnSequences, String activation,
                    String recurrentActivation, Double dropout) {
        super(name, inputShape, units, 3, returnSequences, activation, recurrentActivation, dropout);
    }

    @Override
    public String type() { return "gru"; }

    @Override
    public int paramCount() { return width * (features + units + 2); }

    private int recurrentBiasOffset() { return biasOffset() + width; }

    @Override
    protected void steps(double[] p) {
        int g = width;
        pre = new double[batch * timesteps * g];
        gate = new double[batch * timesteps * g];
        hh = new double[batch * timesteps * units];
        double[] xw = new double[g], hr = new double[g];
        for (int n = 0; n < batch; n++) {
            for (int t = 0; t < timesteps; t++) {
                int at = (n * timesteps + t) * g, xt = (n * timesteps + t) * features, ht = (n * timesteps + t) * units;
                int prev = t == 0 ? -1 : ht - units;
                inputProduct(p, xt, biasOffset(), xw);
                System.arraycopy(p, recurrentBiasOffset(), hr, 0, g);
                recurrentProduct(p, prev, hr);
                for (int u = 0; u < units; u++) {
                    double az = xw[u] + hr[u], ar = xw[units + u] + hr[units + u];
                    double z = apply(recurrentActivation, az), r = apply(recurrentActivation, ar);
                    double an = xw[2 * units + u] + r * hr[2 * units + u];
                    double cand = apply(activation, an);
                    pre[at + u] = az;
                    pre[at + units + u] = ar;
                    pre[at + 2 * units + u] = an;
                    gate[at + u] = z;
                    gate[at + units + u] = r;
                    gate[at + 2 * units + u] = cand;
                    hh[ht + u] = hr[2 * units + u];
                    h[ht + u] = z * (prev >= 0 ? h[prev + u] : 0) + (1 - z) * cand;
                }
            }
        }
    }

    @Override
    protected void stepBack(int n, int t, boolean first, double[] dh, double[] dIn, double[] dRec) {
        int at = (n * timesteps + t) * width, ht = (n * timesteps + t) * units;
        int prev = t == 0 ? -1 : ht - units;
        for (int u = 0; u < units; u++) {
            double z = gate[at + u], r = gate[at + units + u], cand = gate[at + 2 * units + u];
            double hPrev = prev >= 0 ? h[prev + u] : 0;
            double dCand = dh[u] * (1 - z) * derivative(activation, pre[at + 2 * units + u]);
            dIn[u] = dRec[u] = dh[u] * (hPrev - cand) * derivative(recurrentActivation, pre[at + u]);
            dIn[units + u] = dRec[units + u] = dCand * hh[ht + u] * derivative(recurrentActivation, pre[at + units + u]);
            dIn[2 * units + u] = dCand;
            dRec[2 * units + u] = dCand * r; // the reset gate scales the recurrent product only (reset_after)
            dh[u] *= z; // the direct path z * h_{t-1}
        }
    }

    @Override
    protected void addBiasGradients(double[] dp, double[] dIn, double[] dRec) {
        for (int j = 0; j < width; j++) {
            dp[biasOffset() + j] += dIn[j];
            dp[recurrentBiasOffset() + j] += dRec[j]; // the recurrent bias acts at t = 0 too
        }
    }

    @Override
    protected boolean oneSum() { return false; }
}
