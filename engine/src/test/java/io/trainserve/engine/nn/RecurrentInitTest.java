package io.trainserve.engine.nn;

import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Keras' initialisers for the sequence layers: LSTM and GRU with a glorot_uniform kernel and an orthogonal
 * recurrent kernel, LSTM's zero bias with the forget gate's at one, GRU's two zero biases; Embedding's
 * uniform(-0.05, 0.05) table.
 */
class RecurrentInitTest {
    private static final int F = 3, U = 4;

    /** The first layer's parameters of {@code layer} on [5, F] sequences. */
    private static float[] firstLayer(LayerSpec layer) {
        Network net = NetworkBuilder.build(ModelSpec.of("sparse_categorical_crossentropy", layer, LayerSpec.dense(2, "softmax")),
                Shape.sequence(5, F), 11);
        return NdArrays.read(net.params().get(DenseLayer.interval(0, net.paramOffset(1))).dup());
    }

    /** Kernel within the glorot limit, recurrent kernel rows orthonormal; returns where the biases start. */
    private static int assertKernels(float[] p, int g) {
        double limit = Math.sqrt(6.0 / (F + g));
        for (int i = 0; i < F * g; i++) assertThat((double) Math.abs(p[i])).isLessThanOrEqualTo(limit);
        int r0 = F * g;
        for (int a = 0; a < U; a++) {
            for (int b = 0; b < U; b++) {
                double dot = 0;
                for (int j = 0; j < g; j++) dot += p[r0 + a * g + j] * p[r0 + b * g + j];
                assertThat(dot).as("row %d . row %d", a, b).isCloseTo(a == b ? 1 : 0, within(1e-5));
            }
        }
        return (F + U) * g;
    }

    @Test
    void lstm() {
        int g = 4 * U;
        float[] p = firstLayer(LayerSpec.lstm(U, false));
        assertThat(p).hasSize(g * (F + U + 1));
        int b0 = assertKernels(p, g);
        for (int j = 0; j < g; j++) assertThat(p[b0 + j]).as("bias %d", j).isEqualTo(j >= U && j < 2 * U ? 1f : 0f);
    }

    @Test
    void gruResetAfterWithTwoBiases() {
        int g = 3 * U;
        float[] p = firstLayer(LayerSpec.gru(U, false));
        assertThat(p).hasSize(g * (F + U + 2));
        for (int j = assertKernels(p, g); j < p.length; j++) assertThat(p[j]).as("bias %d", j).isZero();
    }

    @Test
    void embeddingUniformTable() {
        Network net = NetworkBuilder.build(ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.embedding(50, 8),
                LayerSpec.flatten(), LayerSpec.dense(2, "softmax")), Shape.vector(4), 11);
        float[] t = NdArrays.read(net.params().get(DenseLayer.interval(0, net.paramOffset(1))).dup());
        assertThat(t).hasSize(400);
        float min = 1, max = -1;
        for (float v : t) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isBetween(-0.05f, -0.04f);
        assertThat(max).isBetween(0.04f, 0.05f);
    }
}
