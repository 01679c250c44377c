package io.trainserve.engine.nn;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The fused dense-layer passes against the definitions, element by element (37 rows: not a multiple of the 4 running sums). */
class DenseKernelsTest {
    static final int ROWS = 37, COLS = 11;
    static final float ALPHA = 0.2f;

    @ParameterizedTest
    @ValueSource(strings = {"relu", "leaky_relu", "linear", "output"})
    void backwardGivesActivationGradientAndBiasGradient(String activation) {
        boolean output = activation.equals("output");
        INDArray z = random(1), eps = random(2);
        INDArray dz = Nd4j.create(DataType.FLOAT, new long[]{ROWS, COLS}, 'f'), biasGrad = Nd4j.create(DataType.FLOAT, COLS);
        DenseKernels.backward(z, eps, dz, biasGrad, output ? null : activation, ALPHA);
        for (int j = 0; j < COLS; j++) {
            double sum = 0;
            for (int i = 0; i < ROWS; i++) {
                float zi = z.getFloat(i, j), slope = activation.equals("relu") ? 0f : activation.equals("leaky_relu") ? ALPHA : 1f;
                float expected = eps.getFloat(i, j) * (zi > 0 ? 1f : slope);
                if (!output) assertThat(dz.getFloat(i, j)).as("dz[%d,%d]", i, j).isEqualTo(expected);
                sum += output ? eps.getFloat(i, j) : expected;
            }
            assertThat(biasGrad.getFloat(j)).as("bias gradient %d", j).isCloseTo((float) sum, within(1e-5f));
        }
        assertThat(biasGrad.sumNumber().doubleValue()).isNotZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "leaky_relu", "linear"})
    void biasActivateAddsBiasAndRectifies(String activation) {
        INDArray z = random(3), before = z.dup('f'), bias = Nd4j.rand(DataType.FLOAT, COLS).subi(0.5);
        INDArray a = Nd4j.create(DataType.FLOAT, new long[]{ROWS, COLS}, 'f');
        DenseKernels.biasActivate(z, bias, a, activation, ALPHA);
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < COLS; j++) {
                float zij = before.getFloat(i, j) + bias.getFloat(j);
                float slope = activation.equals("relu") ? 0f : activation.equals("leaky_relu") ? ALPHA : 1f;
                assertThat(z.getFloat(i, j)).as("z[%d,%d]", i, j).isEqualTo(zij);
                assertThat(a.getFloat(i, j)).as("a[%d,%d]", i, j).isEqualTo(zij > 0 ? zij : zij * slope);
            }
        }
    }

    private static INDArray random(long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, ROWS, COLS).subi(0.5).dup('f');
    }
}
