package io.trainserve.engine.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Float32: batch norm against a direct implementation of Keras' definition, in every layout it
 * meets; and the layouts batch norm and dropout hand on, on which the dense layers' fast paths
 * depend (f-ordered vectors in both directions).
 */
class BatchNormDropoutLayoutTest {
    private static final double MOMENTUM = 0.9, EPSILON = 0.001;

    /** 7 x 5 runs on the calling thread; 100 x 200 (20k values) is split over the cores by features. */
    @ParameterizedTest
    @CsvSource({"7, 5", "100, 200"})
    void batchNormOnVectorsMatchesDefinitionAndKeepsColumnsContiguous(int rows, int features) {
        for (char order : new char[]{'f', 'c'}) {
            INDArray x = GradientChecker.randn(new long[]{rows, features}, new Random(3)).muli(2).addi(1).dup(order);
            BatchNormLayer bn = new BatchNormLayer("b", Shape.vector(features), MOMENTUM, EPSILON);
            INDArray[] p = bind(bn, features);
            INDArray out = bn.forward(x, new ForwardContext(true, null));
            assertThat(out.ordering()).as("output of %s-ordered input", order).isEqualTo('f');
            double[][] xhat = new double[features][];
            double[] invStd = new double[features];
            for (int j = 0; j < features; j++) {
                double[] column = new double[rows];
                for (int i = 0; i < rows; i++) column[i] = x.getDouble(i, j);
                double mean = mean(column), var = biasedVariance(column, mean);
                invStd[j] = 1 / Math.sqrt(var + EPSILON);
                xhat[j] = new double[rows];
                for (int i = 0; i < rows; i++) {
                    xhat[j][i] = (column[i] - mean) * invStd[j];
                    double expected = xhat[j][i] * p[0].getDouble(j) + p[0].getDouble(features + j);
                    assertThat(out.getDouble(i, j)).isCloseTo(expected, within(1e-5));
                }
                assertThat(p[1].getDouble(j)).as("running mean").isCloseTo(MOMENTUM * 0.5 + (1 - MOMENTUM) * mean, within(1e-5));
                assertThat(p[1].getDouble(features + j)).as("running variance (biased)").isCloseTo(MOMENTUM * 2 + (1 - MOMENTUM) * var, within(1e-5));
            }
            INDArray dy = GradientChecker.randn(new long[]{rows, features}, new Random(4)).dup(order);
            INDArray dx = bn.backward(dy, true);
            assertThat(dx.ordering()).as("dL/dInput, for the dense layer's fused backward").isEqualTo('f');
            for (int j = 0; j < features; j++) {
                // dx = gamma * invStd / n * (n dy - sum(dy) - xhat * sum(dy * xhat))
                double sumDy = 0, sumDyXhat = 0;
                for (int i = 0; i < rows; i++) {
                    sumDy += dy.getDouble(i, j);
                    sumDyXhat += dy.getDouble(i, j) * xhat[j][i];
                }
                assertThat(p[2].getDouble(features + j)).as("beta gradient %d", j).isCloseTo(sumDy, within(1e-4));
                assertThat(p[2].getDouble(j)).as("gamma gradient %d", j).isCloseTo(sumDyXhat, within(1e-4));
                for (int i = 0; i < rows; i += Math.max(1, rows / 7)) {
                    double expected = p[0].getDouble(j) * invStd[j] / rows * (rows * dy.getDouble(i, j) - sumDy - xhat[j][i] * sumDyXhat);
                    assertThat(dx.getDouble(i, j)).as("dx[%d,%d]", i, j).isCloseTo(expected, within(1e-4));
                }
            }

            INDArray inference = bn.forward(x, ForwardContext.INFERENCE);
            for (int j = 0; j < features; j++) {
                double scale = p[0].getDouble(j) / Math.sqrt(p[1].getDouble(features + j) + EPSILON);
                double expected = (x.getDouble(2, j) - p[1].getDouble(j)) * scale + p[0].getDouble(features + j);
                assertThat(inference.getDouble(2, j)).isCloseTo(expected, within(1e-5));
            }
        }
    }

    @Test
    void batchNormOnImagesNormalizesEachChannelOverBatchAndPixels() {
        int n = 3, c = 2, h = 4, w = 3;
        INDArray x = GradientChecker.randn(new long[]{n, c, h, w}, new Random(5)).muli(3).subi(2);
        BatchNormLayer bn = new BatchNormLayer("b", Shape.image(c, h, w), MOMENTUM, EPSILON);
        INDArray[] p = bind(bn, c);
        INDArray out = bn.forward(x, new ForwardContext(true, null));
        assertThat(out.ordering()).isEqualTo('c');
        for (int ch = 0; ch < c; ch++) {
            double[] values = new double[n * h * w];
            int k = 0;
            for (int b = 0; b < n; b++) for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) values[k++] = x.getDouble(b, ch, i, j);
            double mean = mean(values), var = biasedVariance(values, mean);
            for (int b = 0; b < n; b++) {
                double expected = (x.getDouble(b, ch, 1, 2) - mean) / Math.sqrt(var + EPSILON) * p[0].getDouble(ch) + p[0].getDouble(c + ch);
                assertThat(out.getDouble(b, ch, 1, 2)).isCloseTo(expected, within(1e-5));
            }
            assertThat(p[1].getDouble(c + ch)).isCloseTo(MOMENTUM * 2 + (1 - MOMENTUM) * var, within(1e-5));
        }
    }

    @Test
    void dropoutKeepsTheInputLayoutAndRepeatsItsMaskForTheSameSeed() {
        for (char order : new char[]{'f', 'c'}) {
            DropoutLayer layer = new DropoutLayer("d", Shape.vector(300), 0.5);
            INDArray x = Nd4j.rand(Nd4j.defaultFloatingPointType(), 40, 300).addi(0.5).dup(order);
            INDArray first = layer.forward(x, new ForwardContext(true, new SplittableRandom(9)));
            assertThat(first.ordering()).isEqualTo(order);
            INDArray firstCopy = first.dup();
            assertThat(layer.forward(x, new ForwardContext(true, new SplittableRandom(9)))).isEqualTo(firstCopy);
            assertThat(layer.forward(x, new ForwardContext(true, new SplittableRandom(10)))).isNotEqualTo(firstCopy);

            // backward: in place for an epsilon in the same layout, correct for one in the other
            INDArray out = layer.forward(x, new ForwardContext(true, new SplittableRandom(9)));
            INDArray sameLayout = Nd4j.ones(Nd4j.defaultFloatingPointType(), 40, 300).dup(order);
            assertThat(layer.backward(sameLayout, true)).isSameAs(sameLayout);
            INDArray otherLayout = Nd4j.ones(Nd4j.defaultFloatingPointType(), 40, 300).dup(order == 'f' ? 'c' : 'f');
            INDArray back = layer.backward(otherLayout, true);
            for (int i = 0; i < 40; i += 7) {
                for (int j = 0; j < 300; j += 11) {
                    double expected = out.getDouble(i, j) == 0 ? 0 : 2;
                    assertThat(sameLayout.getDouble(i, j)).isCloseTo(expected, within(1e-6));
                    assertThat(back.getDouble(i, j)).isCloseTo(expected, within(1e-6));
                }
            }
        }
    }

    /** Binds fresh parameters (random gamma and beta) and state (running mean 0.5, variance 2); returns {params, state}. */
    private static INDArray[] bind(BatchNormLayer bn, int features) {
        INDArray params = GradientChecker.randn(new long[]{2L * features}, new Random(8));
        INDArray state = Nd4j.create(params.dataType(), 2L * features), grads = Nd4j.create(params.dataType(), 2L * features);
        bn.bind(params, grads, state);
        state.get(DenseLayer.interval(0, features)).assign(0.5);
        state.get(DenseLayer.interval(features, 2L * features)).assign(2);
        return new INDArray[]{params, state, grads};
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) s += d;
        return s / v.length;
    }

    private static double biasedVariance(double[] v, double mean) {
        double s = 0;
        for (double d : v) s += (d - mean) * (d - mean);
        return s / v.length;
    }
}
