package io.trainserve.engine.nn;

import static io.trainserve.engine.nn.Recurrent.apply;
import static io.trainserve.engine.nn.Recurrent.derivative;

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
public final class LstmLayer extends RecurrentLayer {
    /** The last forward's gate pre-activations and values, and cell states. */
    private double[] z, gate, c;
    /** Backward: dL/dc_t carried to the step before. */
    private double[] dc;

    public LstmLayer(String name, Shape inputShape, int units, boolean returnSequences, String activation,
                     String recurrentActivation, Double dropout) {
        super(name, inputShape, units, 4, returnSequences, activation, recurrentActivation, dropout);
    }

    @Override
    public String type() { return "lstm"; }

    @Override
    public int paramCount() { return width * (features + units + 1); }

    @Override
    protected void initBiases(double[] p) {
        for (int u = 0; u < units; u++) p[biasOffset() + units + u] = 1; // unit_forget_bias
    }

    @Override
    protected void steps(double[] p) {
        int g = width;
        z = new double[batch * timesteps * g];
        gate = new double[batch * timesteps * g];
        c = new double[batch * timesteps * units];
        double[] zt = new double[g];
        for (int n = 0; n < batch; n++) {
            for (int t = 0; t < timesteps; t++) {
                int at = (n * timesteps + t) * g, xt = (n * timesteps + t) * features, ht = (n * timesteps + t) * units;
                int prev = t == 0 ? -1 : ht - units;
                inputProduct(p, xt, biasOffset(), zt);
                recurrentProduct(p, prev, zt);
                System.arraycopy(zt, 0, z, at, g);
                for (int j = 0; j < g; j++) {
                    boolean cell = j >= 2 * units && j < 3 * units;
                    gate[at + j] = apply(cell ? activation : recurrentActivation, zt[j]);
                }
                for (int u = 0; u < units; u++) {
                    double cPrev = prev >= 0 ? c[prev + u] : 0;
                    double cv = gate[at + units + u] * cPrev + gate[at + u] * gate[at + 2 * units + u];
                    c[ht + u] = cv;
                    h[ht + u] = gate[at + 3 * units + u] * apply(activation, cv);
                }
            }
        }
    }

    @Override
    protected void stepBack(int n, int t, boolean first, double[] dh, double[] dz, double[] same) {
        if (dc == null || dc.length != units) dc = new double[units];
        if (first) java.util.Arrays.fill(dc, 0);
        int at = (n * timesteps + t) * width, ht = (n * timesteps + t) * units;
        int prev = t == 0 ? -1 : ht - units;
        for (int u = 0; u < units; u++) {
            double i = gate[at + u], f = gate[at + units + u], gg = gate[at + 2 * units + u], o = gate[at + 3 * units + u];
            double cv = c[ht + u], cPrev = prev >= 0 ? c[prev + u] : 0;
            double ac = apply(activation, cv);
            double dcu = dc[u] + dh[u] * o * derivative(activation, cv);
            dz[u] = dcu * gg * derivative(recurrentActivation, z[at + u]);
            dz[units + u] = dcu * cPrev * derivative(recurrentActivation, z[at + units + u]);
            dz[2 * units + u] = dcu * i * derivative(activation, z[at + 2 * units + u]);
            dz[3 * units + u] = dh[u] * ac * derivative(recurrentActivation, z[at + 3 * units + u]);
            dc[u] = dcu * f;
            dh[u] = 0; // h_{t-1} reaches h_t only through R
        }
    }

    @Override
    protected void addBiasGradients(double[] dp, double[] dz, double[] same) {
        for (int j = 0; j < width; j++) dp[biasOffset() + j] += dz[j];
    }

    @Override
    protected boolean oneSum() { return true; }
}
