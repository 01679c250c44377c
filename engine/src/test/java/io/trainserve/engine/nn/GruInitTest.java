package io.trainserve.engine.nn;

import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Keras' GRU and Embedding initialisers: glorot_uniform kernel, orthogonal recurrent kernel, two zero biases; a uniform(-0.05, 0.05) table. */
class GruInitTest {
    @Test
    void gruKerasInitialisers() {
        int f = 3, u = 4, g = 3 * u;
        Network net = NetworkBuilder.build(ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.gru(u, false),
                LayerSpec.dense(2, "softmax")), Shape.sequence(5, f), 11);
        float[] p = NdArrays.read(net.params().get(DenseLayer.interval(0, net.paramOffset(1))).dup());
        assertThat(p).hasSize(g * (f + u + 2));
        double limit = Math.sqrt(6.0 / (f + g));
        for (int i = 0; i < f * g; i++) assertThat((double) Math.abs(p[i])).isLessThanOrEqualTo(limit);
        int r0 = f * g;
        for (int a = 0; a < u; a++) {
            for (int b = 0; b < u; b++) {
                double dot = 0;
                for (int j = 0; j < g; j++) dot += p[r0 + a * g + j] * p[r0 + b * g + j];
                assertThat(dot).as("row %d . row %d", a, b).isCloseTo(a == b ? 1 : 0, within(1e-5));
            }
        }
        for (int j = (f + u) * g; j < p.length; j++) assertThat(p[j]).as("bias %d", j).isZero();
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
