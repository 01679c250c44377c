package io.trainserve.engine.nn;

import io.trainserve.engine.Target;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static io.trainserve.engine.spec.LayerSpec.conv2d;
import static io.trainserve.engine.spec.LayerSpec.dense;
import static io.trainserve.engine.spec.LayerSpec.flatten;
import static io.trainserve.engine.spec.LayerSpec.maxPool2d;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A convolution that pools its own output into the max-pooling layer above gives what the two
 * layers' separate passes give, bit for bit: outputs, loss and every gradient, in training and in
 * inference, over several runs of samples, with overlapping and padded windows.
 */
class ConvPoolFusionTest {
    private static final Target THREE = Target.classes("label", List.of("a", "b", "c"));

    static Stream<Object[]> models() {
        return Stream.of(
                // the benchmark CNN's shape of layers; 700 samples are two runs of the first convolution
                new Object[]{"relu, then leaky_relu", Shape.image(1, 28, 28), 700, ModelSpec.of("sparse_categorical_crossentropy",
                        conv2d(8, 3, "relu"), maxPool2d(2), conv2d(6, 3, "leaky_relu"), maxPool2d(2), flatten(), dense(3, "softmax"))},
                new Object[]{"overlapping 3x3 windows, stride 2", Shape.image(2, 9, 9), 40, ModelSpec.of("sparse_categorical_crossentropy",
                        conv2d(4, 3, "linear"), pool(3, 2, "valid"), flatten(), dense(3, "softmax"))},
                new Object[]{"linear, disjoint 2x2 windows", Shape.image(2, 10, 10), 40, ModelSpec.of("sparse_categorical_crossentropy",
                        conv2d(4, 3, "linear"), maxPool2d(2), flatten(), dense(3, "softmax"))},
                new Object[]{"padded windows", Shape.image(2, 8, 8), 40, ModelSpec.of("sparse_categorical_crossentropy",
                        conv2d(5, 2, "relu"), pool(2, 2, "same"), flatten(), dense(3, "softmax"))});
    }

    /** The benchmark CNN's conv2 (11×11 outputs, pooled 2×2 to 5×5) computes only the 10×10 windows the pooling reads. */
    @Test
    void positionsNoPoolingWindowReadsAreNotComputed() {
        Network net = NetworkBuilder.build((ModelSpec) models().findFirst().orElseThrow()[3], Shape.image(1, 28, 28), 7);
        Conv2DLayer conv1 = (Conv2DLayer) net.layers().get(0), conv2 = (Conv2DLayer) net.layers().get(2);
        assertThat(conv1.pooledWindowCount()).isEqualTo(26 * 26);
        assertThat(conv2.outputShape().height()).isEqualTo(11);
        assertThat(conv2.pooledWindowCount()).isEqualTo(10 * 10);
    }

    private static LayerSpec pool(int size, int stride, String padding) {
        return new LayerSpec("max_pool2d", null, null, null, null, null, null, null, List.of(stride, stride), padding,
                List.of(size, size), null, null, null, null, null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void poolingInTheConvolutionChangesOnlyRounding(String what, Shape image, int batch, ModelSpec spec) {
        Network fused = NetworkBuilder.build(spec, image, 7);
        Network separate = NetworkBuilder.assemble(spec, image, fused.params(), fused.state(), false);
        assertThat(((Conv2DLayer) fused.layers().get(0)).poolsItsOutput()).isTrue();
        assertThat(((Conv2DLayer) separate.layers().get(0)).poolsItsOutput()).isFalse();
        Random rng = new Random(batch);
        float[] pixels = new float[batch * image.size()];
        for (int i = 0; i < pixels.length; i++) pixels[i] = rng.nextInt(3) == 0 ? 0 : rng.nextFloat(); // ties at 0 too
        INDArray x = Nd4j.create(DataType.FLOAT, new long[]{batch, image.size()}, 'c');
        NdArrays.write(pixels, 0, x);
        int[] classes = rng.ints(batch, 0, 3).toArray();

        double[] losses = new double[2];
        INDArray[] grads = new INDArray[2];
        for (int i = 0; i < 2; i++) {
            Network net = i == 0 ? fused : separate;
            INDArray z = net.forward(x, new ForwardContext(true, null), 0);
            INDArray dz = Nd4j.create(DataType.FLOAT, z.shape(), z.ordering());
            losses[i] = net.head().apply(z, classes, null, new float[batch * 3], dz);
            net.backward(dz, 0);
            grads[i] = net.grads().dup();
        }
        // The fused and separate paths feed the products differently shaped blocks; BLAS kernels picked per CPU
        // (AVX-512 ones among them) may sum those in another order, so agreement is to float rounding, not to the bit.
        assertThat(losses[0]).isCloseTo(losses[1], within(1e-6 * Math.abs(losses[1]) + 1e-9));
        float[] fusedGrads = NdArrays.read(grads[0]), separateGrads = NdArrays.read(grads[1]);
        for (int i = 0; i < fusedGrads.length; i++) {
            assertThat(fusedGrads[i]).as("gradient %d", i).isCloseTo(separateGrads[i], within(1e-7f + 1e-4f * Math.abs(separateGrads[i])));
        }
        assertThat(grads[0].amaxNumber().doubleValue()).isPositive();
        float[] fusedOut = fused.predict(x), separateOut = separate.predict(x);
        for (int i = 0; i < fusedOut.length; i++) {
            assertThat(fusedOut[i]).as("output %d", i).isCloseTo(separateOut[i], within(1e-6f + 1e-5f * Math.abs(separateOut[i])));
        }
    }
}
