package io.trainserve.engine.nn;

import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Keras' LSTM initialisers: glorot_uniform kernel, orthogonal recurrent kernel, zero bias with the forget gate's at one. */
class LstmInitTest {
    @Test
    void kerasInitialisers() {
        int f = 3, u = 4, g = 4 * u;
        Network net = NetworkBuilder.build(ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.lstm(u, false),
                LayerSpec.dense(2, "softmax")), Shape.sequence(5, f), 11);
        float[] p = NdArrays.read(net.params().get(DenseLayer.interval(0, net.paramOffset(1))).dup());
        assertThat(p).hasSize(g * (f + u + 1));
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
        int b0 = (f + u) * g;
        for (int j = 0; j < g; j++) assertThat(p[b0 + j]).as("bias %d", j).isEqualTo(j >= u && j < 2 * u ? 1f : 0f);
    }
}
