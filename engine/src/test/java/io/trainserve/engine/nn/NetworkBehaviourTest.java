package io.trainserve.engine.nn;

import io.trainserve.engine.Summary;
import io.trainserve.engine.Target;
import io.trainserve.engine.spec.ModelSpec;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static io.trainserve.engine.spec.LayerSpec.batchNorm;
import static io.trainserve.engine.spec.LayerSpec.conv2d;
import static io.trainserve.engine.spec.LayerSpec.dense;
import static io.trainserve.engine.spec.LayerSpec.flatten;
import static io.trainserve.engine.spec.LayerSpec.maxPool2d;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Float32 behaviour: Keras conventions of conv/pool padding, inference vs training modes, summaries, a real-size CNN step. */
class NetworkBehaviourTest {
    private static final Target TEN = Target.classes("label", IntStream.range(0, 10).mapToObj(String::valueOf).toList());
    private static final Target THREE = Target.classes("label", List.of("a", "b", "c"));

    // ---- conv / pool forward against a direct implementation of Keras' definition ----

    @Test
    void convMatchesKerasDefinition() {
        convCase(2, 5, 5, 3, 3, 3, 1, 1, false);
        convCase(2, 5, 5, 3, 3, 3, 1, 1, true);
        convCase(2, 8, 8, 3, 3, 3, 2, 2, true);  // total padding 1: Keras puts it after
        convCase(1, 6, 7, 2, 2, 3, 1, 2, true);  // even kernel height: padding 1 after
        convCase(2, 7, 7, 3, 3, 3, 2, 2, false);
    }

    private static void convCase(int iC, int h, int w, int oC, int kh, int kw, int sh, int sw, boolean same) {
        Conv2DLayer layer = new Conv2DLayer("c", Shape.image(iC, h, w), oC, kh, kw, sh, sw, same, "linear", null, null);
        Random rng = new Random(5);
        INDArray params = GradientChecker.randn(new long[]{layer.paramCount()}, rng);
        layer.bind(params, Nd4j.create(params.dataType(), layer.paramCount()), null);
        INDArray x = GradientChecker.randn(new long[]{2, iC, h, w}, rng);
        INDArray out = layer.forward(x, ForwardContext.INFERENCE);
        Shape o = layer.outputShape();
        assertThat(out.shape()).containsExactly(2, oC, o.height(), o.width());
        int padTop = ConvGeometry.samePadding(h, kh, sh) / 2, padLeft = ConvGeometry.samePadding(w, kw, sw) / 2;
        if (!same) padTop = padLeft = 0;
        int kernel = oC * iC * kh * kw;
        for (int b = 0; b < 2; b++)
            for (int f = 0; f < oC; f++)
                for (int i = 0; i < o.height(); i++)
                    for (int j = 0; j < o.width(); j++) {
                        double expected = params.getDouble(kernel + f);
                        for (int c = 0; c < iC; c++)
                            for (int u = 0; u < kh; u++)
                                for (int v = 0; v < kw; v++) {
                                    int y = i * sh + u - padTop, xx = j * sw + v - padLeft;
                                    if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
                                    expected += x.getDouble(b, c, y, xx) * params.getDouble(((f * iC + c) * kh + u) * kw + v);
                                }
                        assertThat(out.getDouble(b, f, i, j)).as("conv %s at %d,%d,%d,%d", o, b, f, i, j).isCloseTo(expected, within(1e-4));
                    }
    }

    @Test
    void maxPoolMatchesKerasDefinition() {
        poolCase(5, 5, 2, 2, 2, 2, false);
        poolCase(5, 5, 2, 2, 2, 2, true);  // last row/column pooled alone; padding never wins
        poolCase(7, 7, 3, 3, 2, 2, false);
        poolCase(6, 6, 3, 3, 1, 1, true);
    }

    private static void poolCase(int h, int w, int ph, int pw, int sh, int sw, boolean same) {
        MaxPool2DLayer layer = new MaxPool2DLayer("p", Shape.image(2, h, w), ph, pw, sh, sw, same);
        // all negative: a zero-padded pool would return 0 at the borders
        INDArray x = Nd4j.rand(Nd4j.defaultFloatingPointType(), 3, 2, h, w).subi(2);
        INDArray out = layer.forward(x, ForwardContext.INFERENCE);
        Shape o = layer.outputShape();
        int padTop = same ? ConvGeometry.samePadding(h, ph, sh) / 2 : 0, padLeft = same ? ConvGeometry.samePadding(w, pw, sw) / 2 : 0;
        for (int b = 0; b < 3; b++)
            for (int c = 0; c < 2; c++)
                for (int i = 0; i < o.height(); i++)
                    for (int j = 0; j < o.width(); j++) {
                        double max = Double.NEGATIVE_INFINITY;
                        for (int u = 0; u < ph; u++)
                            for (int v = 0; v < pw; v++) {
                                int y = i * sh + u - padTop, xx = j * sw + v - padLeft;
                                if (y >= 0 && y < h && xx >= 0 && xx < w) max = Math.max(max, x.getDouble(b, c, y, xx));
                            }
                        assertThat(out.getDouble(b, c, i, j)).as("pool %s at %d,%d,%d,%d", o, b, c, i, j).isCloseTo(max, within(1e-6));
                    }
    }

    // ---- batch norm and dropout modes ----

    @Test
    void batchNormUsesRunningStatisticsAtInference() {
        Network net = NetworkBuilder.build(ModelSpec.of("sparse_categorical_crossentropy", dense(4, "linear"), batchNorm(),
                dense(3, "softmax")), Shape.vector(5), 3);
        INDArray x = Nd4j.rand(Nd4j.defaultFloatingPointType(), 6, 5).muli(4).addi(1);
        INDArray stateBefore = net.state().dup();
        INDArray trainingZ = net.forward(x, new ForwardContext(true, null), 0).dup();
        assertThat(net.state()).as("running statistics move while training").isNotEqualTo(stateBefore);

        INDArray inferenceZ = net.forward(x, ForwardContext.INFERENCE, 0).dup();
        assertThat(maxAbsDiff(trainingZ, inferenceZ)).isGreaterThan(1e-3);
        INDArray stateAfterInference = net.state().dup();
        net.forward(x, ForwardContext.INFERENCE, 0);
        assertThat(net.state()).as("inference leaves the statistics alone").isEqualTo(stateAfterInference);

        // inference: a row's output does not depend on the rest of the batch
        for (int i = 0; i < 6; i++) {
            INDArray row = x.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()).dup();
            INDArray alone = net.forward(row, ForwardContext.INFERENCE, 0).dup();
            assertThat(maxAbsDiff(alone, inferenceZ.getRow(i, true))).isLessThan(1e-5);
        }
        // training: it does (batch statistics)
        INDArray firstTwo = x.get(NDArrayIndex.interval(0, 2), NDArrayIndex.all()).dup();
        INDArray trainingPair = net.forward(firstTwo, new ForwardContext(true, null), 0).dup();
        assertThat(maxAbsDiff(trainingPair.getRow(0, true), trainingZ.getRow(0, true))).isGreaterThan(1e-3);
    }

    @Test
    void dropoutIsIdentityAtInferenceAndDropsRateWhileTraining() {
        double rate = 0.3;
        DropoutLayer layer = new DropoutLayer("d", Shape.vector(1000), rate);
        INDArray x = Nd4j.rand(Nd4j.defaultFloatingPointType(), 20, 1000).addi(0.5);
        assertThat(layer.forward(x, ForwardContext.INFERENCE)).isSameAs(x);
        INDArray out = layer.forward(x, new ForwardContext(true, new java.util.SplittableRandom(1)));
        double[] o = out.dup().data().asDouble(), in = x.dup().data().asDouble();
        int dropped = 0;
        for (int i = 0; i < o.length; i++) {
            if (o[i] == 0) dropped++;
            else assertThat(o[i]).isCloseTo(in[i] / (1 - rate), within(1e-5));
        }
        assertThat(dropped / (double) o.length).isCloseTo(rate, within(0.02));
        INDArray eps = Nd4j.ones(Nd4j.defaultFloatingPointType(), 20, 1000);
        INDArray back = layer.backward(eps, true);
        double[] b = back.dup().data().asDouble();
        for (int i = 0; i < b.length; i++) assertThat(b[i] == 0).isEqualTo(o[i] == 0);
    }

    // ---- Keras summary numbers ----

    @Test
    void kerasParameterCounts() {
        Network softmax = NetworkBuilder.build(ModelSpec.of("sparse_categorical_crossentropy", dense(10, "softmax")),
                Shape.vector(784), 1);
        assertThat(softmax.summary().totalParams()).isEqualTo(7_850);
        Network mlp = NetworkBuilder.build(ModelSpec.of("sparse_categorical_crossentropy", dense(256, "relu"), dense(256, "relu"),
                dense(10, "softmax")), Shape.vector(784), 1);
        assertThat(mlp.summary().totalParams()).isEqualTo(269_322);
        Network conv = NetworkBuilder.build(ModelSpec.of("sparse_categorical_crossentropy", conv2d(32, 3, "relu"), flatten(),
                dense(10, "softmax")), Shape.image(1, 28, 28), 1);
        Summary.Row first = conv.summary().layers().get(0);
        assertThat(first.params()).isEqualTo(320);
        assertThat(first.outputShape()).isEqualTo("(None, 32, 26, 26)");
        assertThat(conv.summary().layers().get(1).outputShape()).isEqualTo("(None, 21632)");
        Network bn = NetworkBuilder.build(ModelSpec.of("sparse_categorical_crossentropy", dense(64, "relu"), batchNorm(),
                dense(10, "softmax")), Shape.vector(784), 1);
        assertThat(bn.summary().trainableParams()).isEqualTo(50_240 + 128 + 650);
        assertThat(bn.summary().nonTrainableParams()).isEqualTo(128);
    }

    // ---- a real-size CNN ----

    @Test
    void cnnChangesBatchSizeAndKeepsRowsIndependent() {
        Network net = mnistCnn();
        INDArray x = Nd4j.rand(DataType.FLOAT, 100, 1, 28, 28);
        INDArray all = net.forward(x, ForwardContext.INFERENCE, 0).dup();
        INDArray part = net.forward(x.get(NDArrayIndex.interval(0, 37)).dup(), ForwardContext.INFERENCE, 0).dup();
        INDArray again = net.forward(x, ForwardContext.INFERENCE, 0).dup();
        assertThat(part.shape()).containsExactly(37, 10);
        assertThat(maxAbsDiff(part, all.get(NDArrayIndex.interval(0, 37), NDArrayIndex.all()))).isLessThan(1e-5);
        assertThat(maxAbsDiff(again, all)).isZero();
    }

    @Test
    void cnnTrainingStepInFloat32HasFiniteGradients() {
        assertThat(Nd4j.defaultFloatingPointType()).isEqualTo(DataType.FLOAT);
        Network net = mnistCnn();
        assertThat(net.paramCount()).isEqualTo(320 + 18_496 + 16_010);
        INDArray x = Nd4j.rand(DataType.FLOAT, 100, 1, 28, 28);
        int[] y = new Random(2).ints(100, 0, 10).toArray();
        INDArray dz = Nd4j.create(DataType.FLOAT, new long[]{100, 10}, 'f');
        float[] outputs = new float[1000];
        double loss = 0;
        int runs = 6;
        long best = Long.MAX_VALUE;
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            INDArray z = net.forward(x, new ForwardContext(true, null), 0);
            loss = net.head().apply(z, y, null, outputs, dz);
            net.backward(dz, 0);
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("CNN forward+backward, batch 100, float32: best of %d = %.1f ms%n", runs, best / 1e6);
        assertThat(loss).isBetween(0.5, 10.0);
        float[] g = NdArrays.read(net.grads());
        for (float v : g) assertThat(Float.isFinite(v)).isTrue();
        for (int l = 0; l < net.layers().size(); l++) {
            if (net.layers().get(l).paramCount() == 0) continue;
            INDArray lg = net.grads().get(NDArrayIndex.interval(net.paramOffset(l), net.paramOffset(l + 1)));
            assertThat(lg.norm2Number().doubleValue()).as("gradient of " + net.layers().get(l).name()).isGreaterThan(0);
        }
    }

    private static Network mnistCnn() {
        return NetworkBuilder.build(ModelSpec.of("sparse_categorical_crossentropy",
                conv2d(32, 3, "relu"), maxPool2d(2), conv2d(64, 3, "relu"), maxPool2d(2), dense(10, "softmax")),
                Shape.image(1, 28, 28), 1);
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    // ---- backpropagation stops at the lowest trainable layer ----

    @Test
    void backwardSkipsParameterFreeLayersAtTheBottom() {
        Shape image = Shape.image(1, 4, 4);
        Network flattenFirst = NetworkBuilder.build(ModelSpec.of("sparse_categorical_crossentropy", flatten(), dense(3, "softmax")), image, 1);
        assertThat(flattenFirst.lowestBackwardLayer(0)).isEqualTo(1);
        Network dropoutFlatten = NetworkBuilder.build(ModelSpec.of("sparse_categorical_crossentropy",
                io.trainserve.engine.spec.LayerSpec.dropout(0.2), flatten(), dense(4, "relu"), dense(3, "softmax")), image, 1);
        assertThat(dropoutFlatten.lowestBackwardLayer(0)).isEqualTo(2);
        assertThat(dropoutFlatten.lowestBackwardLayer(3)).as("frozen layers are never visited").isEqualTo(3);
        Network convFirst = NetworkBuilder.build(ModelSpec.of("sparse_categorical_crossentropy", conv2d(2, 3, "relu"), flatten(), dense(3, "softmax")),
                image, 1);
        assertThat(convFirst.lowestBackwardLayer(0)).isEqualTo(0);
        Network poolBetween = NetworkBuilder.build(ModelSpec.of("sparse_categorical_crossentropy", conv2d(2, 3, "relu").withPadding("same"),
                maxPool2d(2), flatten(), dense(3, "softmax")), image, 1);
        assertThat(poolBetween.lowestBackwardLayer(1)).as("a frozen conv: the pool above it needs no input gradient").isEqualTo(3);
    }

    @Test
    void flattenAtTheBottomGivesTheSameGradientsAsVectorInput() {
        Random rng = new Random(3);
        INDArray x = GradientChecker.randn(new long[]{5, 1, 4, 4}, rng).castTo(Nd4j.defaultFloatingPointType());
        Network onImages = NetworkBuilder.build(ModelSpec.of("sparse_categorical_crossentropy", flatten(), dense(3, "softmax")), Shape.image(1, 4, 4), 7);
        Network onVectors = NetworkBuilder.build(ModelSpec.of("sparse_categorical_crossentropy", dense(3, "softmax")), Shape.vector(16), 7);
        onVectors.params().assign(onImages.params());
        float[] g1 = gradients(onImages, x), g2 = gradients(onVectors, x.reshape('c', 5, 16));
        assertThat(g1).containsExactly(g2, within(1e-6f));
        assertThat(Math.abs(g1[0]) + Math.abs(g1[1])).isGreaterThan(0f);
    }

    private static float[] gradients(Network net, INDArray x) {
        INDArray z = net.forward(x, new ForwardContext(true, null), 0);
        INDArray dz = NdArrays.zeros(z.ordering(), z.size(0), z.size(1));
        net.head().apply(z, new int[]{0, 1, 2, 1, 0}, null, new float[(int) z.length()], dz);
        net.backward(dz, 0);
        return NdArrays.read(net.grads());
    }
}
