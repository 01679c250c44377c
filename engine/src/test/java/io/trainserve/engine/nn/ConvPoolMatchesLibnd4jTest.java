package io.trainserve.engine.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java convolution and max pooling (float32, the production path) give the outputs and
 * gradients of libnd4j's conv2d / conv2d_bp / maxpool2d / maxpool2d_bp ops, which the engine used
 * before and whose semantics saved models depend on: kernel layout [oC, iC, kH, kW], Keras "same"
 * padding with the odd pixel after, strides, padded positions never winning a max. The gradient
 * checks prove the float64 path's derivatives; this proves the semantics did not change.
 */
class ConvPoolMatchesLibnd4jTest {
    private static final float TOLERANCE = 2e-5f;

    // channels, height, width, filters, kH, kW, sH, sW, padding, activation, alpha (leaky_relu's; negative is not fused)
    @ParameterizedTest
    @CsvSource({
            "1, 28, 28, 32, 3, 3, 1, 1, valid, relu,",
            "3, 9, 9, 4, 3, 3, 1, 1, same, relu,",
            "3, 9, 9, 4, 3, 3, 2, 2, valid, leaky_relu,",
            "3, 8, 8, 4, 3, 3, 1, 1, same, leaky_relu, -0.3",
            "3, 10, 9, 4, 3, 3, 2, 2, same, linear,",
            "2, 7, 8, 5, 2, 3, 1, 2, valid, tanh,",
            "2, 6, 7, 3, 2, 2, 1, 1, same, sigmoid,",
            "2, 5, 5, 3, 4, 4, 3, 3, same, elu,",
            "4, 6, 6, 2, 1, 1, 1, 1, valid, relu,",
    })
    void convolutionMatchesLibnd4j(int c, int h, int w, int filters, int kh, int kw, int sh, int sw, String padding, String activation,
                                   Double alpha) {
        boolean same = padding.equals("same");
        int batch = 24; // the first case is large enough to be split over the cores (ParallelLoops.MIN_WORK)
        Random rng = new Random(c * 1000L + h * 31L + kh * 7L + sh);
        Conv2DLayer layer = new Conv2DLayer("c", Shape.image(c, h, w), filters, kh, kw, sh, sw, same, activation, alpha, null);
        INDArray params = random(rng, layer.paramCount()), grads = Nd4j.create(DataType.FLOAT, layer.paramCount());
        layer.bind(params, grads, null);
        INDArray x = random(rng, batch, c, h, w);
        INDArray out = layer.forward(x, new ForwardContext(true, null)).dup();
        INDArray eps = random(rng, out.shape());
        INDArray dx = layer.backward(eps.dup(), true).dup();

        int k = filters * c * kh * kw;
        INDArray weights = params.get(DenseLayer.interval(0, k)).reshape('c', filters, c, kh, kw);
        INDArray bias = params.get(DenseLayer.interval(k, k + filters));
        int[] iArgs = {kh, kw, sh, sw, 0, 0, 1, 1, same ? 1 : 0, 0, 1}; // NCHW, weights [oC, iC, kH, kW]
        INDArray z = Nd4j.create(DataType.FLOAT, out.shape());
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, weights, bias).addOutputs(z).addIntegerArguments(iArgs).build());
        IActivation act = Activations.of(activation, alpha);
        INDArray expectedOut = act.getActivation(z.dup(), true);
        INDArray dz = act.backprop(z.dup(), eps.dup()).getFirst();
        INDArray expectedDx = Nd4j.create(DataType.FLOAT, x.shape()), expectedDw = Nd4j.create(DataType.FLOAT, weights.shape()),
                expectedDb = Nd4j.create(DataType.FLOAT, filters);
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, weights, bias, dz)
                .addOutputs(expectedDx, expectedDw, expectedDb).addIntegerArguments(iArgs).build());

        assertClose("output", out, expectedOut);
        assertClose("dL/dInput", dx, expectedDx);
        assertClose("dL/dKernel", grads.get(DenseLayer.interval(0, k)), expectedDw);
        assertClose("dL/dBias", grads.get(DenseLayer.interval(k, k + filters)), expectedDb);
    }

    // channels, height, width, pH, pW, sH, sW, padding
    @ParameterizedTest
    @CsvSource({
            "16, 26, 26, 2, 2, 2, 2, valid",
            "2, 11, 11, 2, 2, 2, 2, valid",
            "2, 5, 5, 2, 2, 2, 2, same",
            "2, 7, 7, 3, 3, 2, 2, valid",
            "2, 7, 6, 3, 3, 2, 2, same",
            "2, 6, 7, 2, 3, 1, 2, same",
            "1, 8, 8, 3, 3, 1, 1, same",
    })
    void maxPoolingMatchesLibnd4j(int c, int h, int w, int ph, int pw, int sh, int sw, String padding) {
        boolean same = padding.equals("same");
        Random rng = new Random(c * 100L + h * 13L + ph * 3L + sw);
        INDArray x = random(rng, 24, c, h, w);
        // all negative: zero padding would win every border window
        INDArray negative = Nd4j.create(DataType.FLOAT, x.shape());
        NdArrays.write(negatives(rng, (int) x.length()), 0, negative);
        for (INDArray input : new INDArray[]{x, negative}) {
            MaxPool2DLayer layer = new MaxPool2DLayer("p", Shape.image(c, h, w), ph, pw, sh, sw, same);
            INDArray out = layer.forward(input, new ForwardContext(true, null)).dup();
            INDArray eps = random(rng, out.shape());
            INDArray dx = layer.backward(eps, true).dup();

            int[] iArgs = {ph, pw, sh, sw, 0, 0, 1, 1, same ? 1 : 0, 0, 0};
            INDArray expectedOut = Nd4j.create(DataType.FLOAT, out.shape()), expectedDx = Nd4j.create(DataType.FLOAT, input.shape());
            Nd4j.exec(DynamicCustomOp.builder("maxpool2d").addInputs(input).addOutputs(expectedOut).addIntegerArguments(iArgs).build());
            Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp").addInputs(input, eps).addOutputs(expectedDx).addIntegerArguments(iArgs).build());
            assertClose("pooled", out, expectedOut);
            assertClose("dL/dInput", dx, expectedDx);
            assertThat(layer.forward(input, ForwardContext.INFERENCE)).as("inference pass (no positions recorded)").isEqualTo(out);
        }
    }

    /** Large batches are unfolded a run of samples at a time; the result must not depend on it. */
    @Test
    void severalRunsPerBatchEqualOne() {
        Random rng = new Random(5);
        Shape in = Shape.image(3, 7, 7);
        // 16 windows x 27 taps per sample: a bound of 2 samples' columns forces runs of 2, 2 and 1 for a batch of 5
        Conv2DLayer whole = new Conv2DLayer("c", in, 4, 3, 3, 2, 2, true, "relu", null, null);
        Conv2DLayer runs = new Conv2DLayer("c", in, 4, 3, 3, 2, 2, true, "relu", null, null, 2L * 16 * 27); // chunk bound
        INDArray params = random(rng, whole.paramCount());
        INDArray gradsWhole = Nd4j.create(DataType.FLOAT, whole.paramCount()), gradsRuns = Nd4j.create(DataType.FLOAT, whole.paramCount());
        whole.bind(params, gradsWhole, null);
        runs.bind(params, gradsRuns, null);
        INDArray x = random(rng, 5, 3, 7, 7);
        INDArray outWhole = whole.forward(x, new ForwardContext(true, null)).dup();
        INDArray outRuns = runs.forward(x, new ForwardContext(true, null)).dup();
        INDArray eps = random(rng, outWhole.shape());
        INDArray dxWhole = whole.backward(eps, true).dup(), dxRuns = runs.backward(eps, true).dup();
        assertClose("output", outRuns, outWhole);
        assertClose("dL/dInput", dxRuns, dxWhole);
        assertClose("parameter gradients", gradsRuns, gradsWhole);
    }

    /** The first layer skips dL/dInput (no col2im) yet computes the same parameter gradients. */
    @Test
    void firstLayerSkipsInputGradient() {
        Random rng = new Random(6);
        Conv2DLayer layer = new Conv2DLayer("c", Shape.image(1, 8, 8), 3, 3, 3, 1, 1, false, "relu", null, null);
        INDArray params = random(rng, layer.paramCount()), grads = Nd4j.create(DataType.FLOAT, layer.paramCount());
        layer.bind(params, grads, null);
        INDArray x = random(rng, 4, 1, 8, 8);
        INDArray eps = random(rng, layer.forward(x, new ForwardContext(true, null)).shape());
        layer.backward(eps, true);
        INDArray expected = grads.dup();
        grads.assign(Float.NaN);
        layer.forward(x, new ForwardContext(true, null));
        assertThat(layer.backward(eps, false)).isNull();
        assertClose("parameter gradients", grads, expected);
    }

    private static INDArray random(Random rng, long... shape) {
        INDArray a = Nd4j.create(DataType.FLOAT, shape, 'c');
        float[] v = new float[(int) a.length()];
        for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
        NdArrays.write(v, 0, a);
        return a;
    }

    private static float[] negatives(Random rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = -1 - (float) Math.abs(rng.nextGaussian());
        return v;
    }

    private static void assertClose(String what, INDArray actual, INDArray expected) {
        float[] a = NdArrays.read(actual.dup('c')), e = NdArrays.read(expected.dup('c'));
        assertThat(a).as(what + " length").hasSameSizeAs(e);
        float scale = 0;
        int worst = 0;
        for (int i = 0; i < e.length; i++) {
            scale = Math.max(scale, Math.abs(e[i]));
            if (!(Math.abs(a[i] - e[i]) <= Math.abs(a[worst] - e[worst]))) worst = i; // NaN counts as worst
        }
        assertThat(scale).as(what + " is not trivially zero").isGreaterThan(0f);
        assertThat(a[worst]).as("%s[%d], the largest difference", what, worst)
                .isCloseTo(e[worst], org.assertj.core.data.Offset.offset(TOLERANCE * Math.max(1, scale)));
    }
}
