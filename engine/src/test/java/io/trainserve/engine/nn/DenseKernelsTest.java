package io.trainserve.engine.nn;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The fused dense-layer passes against the definitions, element by element: 37 rows (not a
 * multiple of the 8 running sums) x 11 columns on the calling thread, and 101 x 257, split over the cores.
 */
class DenseKernelsTest {
    static final float ALPHA = 0.2f;

    @ParameterizedTest
    @CsvSource({"relu, 37, 11, 0.2", "leaky_relu, 37, 11, 0.2", "linear, 37, 11, 0.2", "output, 37, 11, 0.2",
            "relu, 101, 257, 0.2", "leaky_relu, 101, 257, 0.2", "output, 101, 257, 0.2", "relu, 4100, 5, 0.2",
            "leaky_relu, 37, 11, -0.5", "leaky_relu, 101, 257, -0.5", "leaky_relu, 37, 11, 1.5"})
    void backwardGivesActivationGradientAndBiasGradient(String activation, int rows, int cols, float alpha) {
        boolean output = activation.equals("output");
        INDArray z = random(1, rows, cols), eps = random(2, rows, cols);
        INDArray dz = Nd4j.create(DataType.FLOAT, new long[]{rows, cols}, 'f'), biasGrad = Nd4j.create(DataType.FLOAT, cols);
        DenseKernels.backward(z, eps, dz, biasGrad, output ? null : activation, alpha);
        for (int j = 0; j < cols; j++) {
            double sum = 0;
            for (int i = 0; i < rows; i++) {
                float zi = z.getFloat(i, j), slope = activation.equals("relu") ? 0f : activation.equals("leaky_relu") ? alpha : 1f;
                float expected = eps.getFloat(i, j) * (zi > 0 ? 1f : slope);
                if (!output) assertThat(dz.getFloat(i, j)).as("dz[%d,%d]", i, j).isEqualTo(expected);
                sum += output ? eps.getFloat(i, j) : expected;
            }
            assertThat(biasGrad.getFloat(j)).as("bias gradient %d", j).isCloseTo((float) sum, within(1e-5f));
        }
        assertThat(biasGrad.sumNumber().doubleValue()).isNotZero();
    }

    @ParameterizedTest
    @CsvSource({"relu, 37, 11, 0.2", "leaky_relu, 37, 11, 0.2", "linear, 37, 11, 0.2", "relu, 101, 257, 0.2",
            "leaky_relu, 101, 257, 0.2", "relu, 4100, 5, 0.2", "leaky_relu, 37, 11, -0.5", "leaky_relu, 37, 11, 1.5"})
    void biasActivateAddsBiasAndRectifies(String activation, int rows, int cols, float alpha) {
        assertThat((long) rows * cols < ParallelLoops.SPLIT_PASS_FROM).isEqualTo(rows == 37);
        assertThat(rows * cols > DenseKernels.BLOCK).as("more than one block of columns, or a column longer than a block")
                .isEqualTo(rows > 37);
        INDArray z = random(3, rows, cols), before = z.dup('f'), bias = Nd4j.rand(DataType.FLOAT, cols).subi(0.5);
        INDArray a = Nd4j.create(DataType.FLOAT, new long[]{rows, cols}, 'f');
        DenseKernels.biasActivate(z, bias, a, activation, alpha);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                float zij = before.getFloat(i, j) + bias.getFloat(j);
                float slope = activation.equals("relu") ? 0f : activation.equals("leaky_relu") ? alpha : 1f;
                assertThat(z.getFloat(i, j)).as("z[%d,%d]", i, j).isEqualTo(zij);
                assertThat(a.getFloat(i, j)).as("a[%d,%d]", i, j).isEqualTo(zij > 0 ? zij : zij * slope);
            }
        }
    }

    /** A rectifier's activations may overwrite z; its backward from them gives the same gradients as from z. */
    @ParameterizedTest
    @CsvSource({"relu, 37, 11", "leaky_relu, 101, 257", "linear, 101, 257"})
    void inPlaceActivationAndItsBackwardMatchTheSeparateBuffers(String activation, int rows, int cols) {
        INDArray z = random(4, rows, cols), bias = Nd4j.rand(DataType.FLOAT, cols).subi(0.5), eps = random(5, rows, cols);
        INDArray separateZ = z.dup('f'), a = Nd4j.create(DataType.FLOAT, new long[]{rows, cols}, 'f');
        DenseKernels.biasActivate(separateZ, bias, a, activation, ALPHA);
        DenseKernels.biasActivate(z, bias, z, activation, ALPHA);
        assertThat(z).as("activations in z's buffer").isEqualTo(a);
        INDArray dz = Nd4j.create(DataType.FLOAT, new long[]{rows, cols}, 'f'), expectedDz = dz.dup('f');
        INDArray biasGrad = Nd4j.create(DataType.FLOAT, cols), expectedBiasGrad = biasGrad.dup();
        DenseKernels.backward(separateZ, eps, expectedDz, expectedBiasGrad, activation, ALPHA);
        DenseKernels.backward(z, eps, dz, biasGrad, activation, ALPHA);
        assertThat(dz).isEqualTo(expectedDz);
        assertThat(biasGrad).isEqualTo(expectedBiasGrad);
        assertThat(expectedDz.amaxNumber().doubleValue()).isPositive();
    }

    /** The vectorized rectifier gradient gives what the select z > 0 ? g : g * slope gives, bit for bit, at the edges too. */
    @org.junit.jupiter.api.Test
    void activationGradientIsTheSelectBitForBit() {
        float[] z = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL / 3, 1e-30f, -1e-30f, 1f, -1f, 3e38f,
                -3e38f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.5f, -2.5f, 7f, -7f};
        float[] g = new float[z.length];
        for (int i = 0; i < g.length; i++) g[i] = (i % 3 == 0 ? -1 : 1) * (0.25f + i);
        for (float slope : new float[]{0f, 0.01f, ALPHA, 1f, -0.5f, 1.5f}) {
            float[] actual = g.clone();
            DenseKernels.activationGradient(actual, z, z.length, slope);
            for (int i = 0; i < z.length; i++) {
                float expected = z[i] > 0 ? g[i] : g[i] * slope;
                assertThat(Float.floatToRawIntBits(actual[i])).as("slope %s, z %s", slope, z[i]).isEqualTo(Float.floatToRawIntBits(expected));
            }
        }
    }

    private static INDArray random(long seed, int rows, int cols) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, rows, cols).subi(0.5).dup('f');
    }
}
