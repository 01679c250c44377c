package io.trainserve.engine.nn;

import io.trainserve.engine.Target;
import io.trainserve.engine.nn.GradientChecker.Batch;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Random;

import static io.trainserve.engine.spec.LayerSpec.batchNorm;
import static io.trainserve.engine.spec.LayerSpec.conv2d;
import static io.trainserve.engine.spec.LayerSpec.dense;
import static io.trainserve.engine.spec.LayerSpec.dropout;
import static io.trainserve.engine.spec.LayerSpec.flatten;
import static io.trainserve.engine.spec.LayerSpec.embedding;
import static io.trainserve.engine.spec.LayerSpec.globalAveragePooling1d;
import static io.trainserve.engine.spec.LayerSpec.gru;
import static io.trainserve.engine.spec.LayerSpec.lstm;
import static io.trainserve.engine.spec.LayerSpec.maxPool2d;
import static org.assertj.core.api.Assertions.assertThat;

/** Backpropagation of every layer, activation and loss against finite differences, in float64. */
class GradientCheckTest {
    private static final List<String> CLASSES = List.of("a", "b", "c");

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void singlePrecision() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    // ---- dense, activations, losses ----

    @ParameterizedTest
    @ValueSource(strings = {"linear", "relu", "leaky_relu", "elu", "sigmoid", "tanh", "softmax"})
    void denseHiddenActivation(String activation) {
        check(classifier(Shape.vector(5), dense(7, activation), dense(3, "softmax")), 6);
    }

    @Test
    void eluAndLeakyReluWithCustomAlpha() {
        check(classifier(Shape.vector(5), dense(6, "elu").withAlpha(0.5), dense(6, "leaky_relu").withAlpha(0.1),
                dense(3, "softmax")), 6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sparse_categorical_crossentropy", "categorical_crossentropy"})
    void softmaxCrossEntropy(String loss) {
        Network net = NetworkBuilder.build(ModelSpec.of(loss, dense(4, "tanh"), dense(3, "softmax")), Shape.vector(5), 7);
        check(net, classesBatch(net, 8, 3));
    }

    @Test
    void binaryCrossEntropy() {
        Network net = NetworkBuilder.build(ModelSpec.of("binary_crossentropy", dense(4, "tanh"), dense(1, "sigmoid")),
                Shape.vector(5), 7);
        check(net, classesBatch(net, 8, 2));
    }

    /** Multi-label: k sigmoid units, each its own binary cross-entropy against a 0/1 label, averaged over units and rows. */
    @Test
    void binaryCrossEntropyOnSeveralLabels() {
        Network net = NetworkBuilder.build(ModelSpec.of("binary_crossentropy", dense(4, "tanh"), dense(3, "sigmoid")),
                Shape.vector(5), 7);
        Random rng = new Random(5);
        float[] y = new float[8 * 3];
        for (int i = 0; i < y.length; i++) y[i] = rng.nextBoolean() ? 1 : 0;
        check(net, new Batch(GradientChecker.randn(new long[]{8, 5}, rng), null, y));
    }

    /** 0-1 regression: one sigmoid unit with binary cross-entropy against values inside [0, 1]. */
    @Test
    void binaryCrossEntropyOnValues() {
        Network net = NetworkBuilder.build(ModelSpec.of("binary_crossentropy", dense(4, "tanh"), dense(1, "sigmoid")),
                Shape.vector(5), 7);
        Random rng = new Random(6);
        float[] y = new float[8];
        for (int i = 0; i < y.length; i++) y[i] = rng.nextFloat();
        check(net, new Batch(GradientChecker.randn(new long[]{8, 5}, rng), null, y));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mse:linear", "mse:sigmoid", "mse:tanh", "mae:linear", "mae:sigmoid"})
    void regression(String lossAndOutput) {
        String[] p = lossAndOutput.split(":");
        Network net = NetworkBuilder.build(ModelSpec.of(p[0], dense(4, "tanh"), dense(1, p[1])), Shape.vector(5), 7);
        Random rng = new Random(3);
        INDArray x = GradientChecker.randn(new long[]{8, 5}, rng);
        float[] y = new float[8];
        // targets far from any prediction in (-1, 1) or (0, 1): mae's kink at prediction == target is never near
        for (int i = 0; i < y.length; i++) y[i] = (float) ((i % 2 == 0 ? 3 : -3) + rng.nextGaussian() * 0.1);
        check(net, new Batch(x, null, y));
    }

    // ---- dropout, batch norm, flatten ----

    @Test
    void dropoutWithFixedMask() {
        check(classifier(Shape.vector(6), dense(8, "tanh"), dropout(0.4), dense(3, "softmax")), 10);
    }

    @Test
    void dropoutOnInput() {
        check(classifier(Shape.vector(6), dropout(0.3), dense(3, "softmax")), 10);
    }

    @Test
    void batchNormOnVectorsTraining() {
        check(classifier(Shape.vector(5), dense(6, "linear"), batchNorm(), dense(6, "relu"), batchNorm(), dense(3, "softmax")), 8);
    }

    @Test
    void batchNormAsFirstLayer() {
        check(classifier(Shape.vector(5), batchNorm(), dense(3, "softmax")), 8);
    }

    @Test
    void batchNormOnImagesAfterConv() {
        check(classifier(Shape.image(2, 5, 5), conv2d(3, 3, "linear"), batchNorm(), flatten(), dense(3, "softmax")), 4);
    }

    @Test
    void flattenImageInput() {
        check(classifier(Shape.image(2, 3, 3), flatten(), dense(4, "tanh"), dense(3, "softmax")), 5);
    }

    @Test
    void denseDirectlyOnImages() {
        check(classifier(Shape.image(2, 3, 3), dense(3, "softmax")), 5);
    }

    // ---- convolution and pooling ----

    @ParameterizedTest
    @ValueSource(strings = {"tanh", "relu", "sigmoid", "elu"})
    void conv2dValid(String activation) {
        check(classifier(Shape.image(2, 6, 6), conv2d(3, 3, activation), flatten(), dense(3, "softmax")), 3);
    }

    /** RGB input, as folder images with colour give: every input channel reaches the kernels and their gradients. */
    @Test
    void conv2dOnThreeChannelsThenPool() {
        check(classifier(Shape.image(3, 6, 6), conv2d(2, 3, "relu").withPadding("same"), maxPool2d(2), flatten(), dense(3, "softmax")), 3);
    }

    @Test
    void conv2dSame() {
        check(classifier(Shape.image(2, 5, 5), conv2d(3, 3, "tanh").withPadding("same"), flatten(), dense(3, "softmax")), 3);
    }

    @Test
    void conv2dStride2ValidAndSame() {
        check(classifier(Shape.image(2, 7, 7), withStrides(conv2d(3, 3, "tanh"), 2), flatten(), dense(3, "softmax")), 3);
        check(classifier(Shape.image(2, 8, 8), withStrides(conv2d(3, 3, "tanh").withPadding("same"), 2), flatten(),
                dense(3, "softmax")), 3);
    }

    @Test
    void conv2dRectangularKernelAndEvenSameKernel() {
        LayerSpec rect = new LayerSpec("conv2d", null, "tanh", null, null, null, 2, List.of(2, 3), List.of(1, 2), "valid",
                null, null, null, null, null, null);
        check(classifier(Shape.image(1, 5, 6), rect, flatten(), dense(3, "softmax")), 3);
        LayerSpec even = new LayerSpec("conv2d", null, "tanh", null, null, null, 2, List.of(2, 2), null, "same", null, null, null, null, null, null);
        check(classifier(Shape.image(1, 5, 5), even, flatten(), dense(3, "softmax")), 3);
    }

    @Test
    void maxPool2dValid() {
        check(classifier(Shape.image(2, 6, 6), conv2d(3, 3, "tanh").withPadding("same"), maxPool2d(2), flatten(),
                dense(3, "softmax")), 3);
    }

    @Test
    void maxPool2dOddInputSameAndStrided() {
        check(classifier(Shape.image(2, 5, 5), conv2d(2, 3, "tanh").withPadding("same"), maxPool2d(2).withPadding("same"),
                flatten(), dense(3, "softmax")), 3);
        LayerSpec pool3s2 = new LayerSpec("max_pool2d", null, null, null, null, null, null, null, List.of(2), null,
                List.of(3), null, null, null, null, null);
        check(classifier(Shape.image(2, 7, 7), conv2d(2, 3, "tanh").withPadding("same"), pool3s2, flatten(),
                dense(3, "softmax")), 3);
    }

    @Test
    void smallCnnEndToEnd() {
        check(classifier(Shape.image(1, 8, 8),
                conv2d(4, 3, "relu").withPadding("same"), maxPool2d(2),
                conv2d(4, 3, "relu").withPadding("same"), maxPool2d(2),
                flatten(), dense(3, "softmax")), 4);
    }

    @Test
    void smallCnnWithBatchNormAndDropout() {
        check(classifier(Shape.image(1, 8, 8),
                conv2d(3, 3, "tanh"), batchNorm(), maxPool2d(2), dropout(0.25),
                flatten(), dense(5, "elu"), dense(3, "softmax")), 4);
    }

    // ---- sequences: lstm, and dropout / batch norm / flatten on sequences ----

    @Test
    void lstmLastOutput() {
        check(classifier(Shape.sequence(4, 3), lstm(5, false), dense(3, "softmax")), 5);
    }

    @Test
    void stackedLstmAsInTheNotes() {
        // LSTM(return_sequences=True), Dropout, BatchNormalization, LSTM, Dropout, BatchNormalization, Dense softmax
        check(classifier(Shape.sequence(5, 2), lstm(4, true), dropout(0.3), batchNorm(), lstm(3, false), dropout(0.2),
                batchNorm(), dense(3, "softmax")), 6);
    }

    @Test
    void lstmInputDropoutAndOtherActivations() {
        check(classifier(Shape.sequence(3, 4), lstm(4, true).withDropout(0.4), lstm(3, false).withActivations("relu", "tanh"),
                dense(3, "softmax")), 5);
    }

    @Test
    void lstmSequenceFlattenedIntoDense() {
        check(classifier(Shape.sequence(3, 2), lstm(3, true), flatten(), dense(3, "softmax")), 4);
    }

    @Test
    void lstmRegressionWithSigmoidOutput() {
        Network net = NetworkBuilder.build(ModelSpec.of("mse", lstm(4, false), dense(1, "sigmoid")), Shape.sequence(4, 2), 7);
        Random rng = new Random(3);
        float[] y = new float[6];
        for (int i = 0; i < y.length; i++) y[i] = (float) rng.nextDouble();
        check(net, new Batch(GradientChecker.randn(new long[]{6, 4, 2}, rng), null, y));
    }

    // ---- gru (Keras 2's reset_after form), embedding, global average pooling ----

    @Test
    void gruLastOutput() {
        check(classifier(Shape.sequence(4, 3), gru(5, false), dense(3, "softmax")), 5);
    }

    @Test
    void stackedGruWithDropoutBatchNormAndOtherActivations() {
        check(classifier(Shape.sequence(5, 2), gru(4, true).withDropout(0.3), dropout(0.2), batchNorm(),
                gru(3, false).withActivations("relu", "tanh"), dense(3, "softmax")), 6);
    }

    @Test
    void gruRegressionWithSigmoidOutput() {
        Network net = NetworkBuilder.build(ModelSpec.of("mse", gru(4, true), flatten(), dense(1, "sigmoid")), Shape.sequence(3, 2), 7);
        Random rng = new Random(3);
        float[] y = new float[6];
        for (int i = 0; i < y.length; i++) y[i] = (float) rng.nextDouble();
        check(net, new Batch(GradientChecker.randn(new long[]{6, 3, 2}, rng), null, y));
    }

    @Test
    void embeddingIntoGruAndLstm() {
        // a vocabulary of 7, sequences of 5 tokens: tokens 5 and 6 never occur, so their rows' gradient must be exactly 0
        Network net = classifier(Shape.vector(5), embedding(7, 3), gru(4, true), lstm(3, false), dense(3, "softmax"));
        check(net, tokensBatch(6, 5, 5));
        INDArray table = net.grads().get(DenseLayer.interval(0, 7 * 3));
        for (int i = 5 * 3; i < 7 * 3; i++) assertThat(table.getDouble(i)).as("unused token row, element %d", i).isZero();
    }

    @Test
    void embeddingBagWithPoolingAndFlatten() {
        check(classifier(Shape.vector(6), embedding(9, 4), globalAveragePooling1d(), dense(5, "tanh"), dense(3, "softmax")),
                tokensBatch(8, 6, 9));
        check(classifier(Shape.vector(4), embedding(6, 2), dropout(0.3), flatten(), dense(3, "softmax")), tokensBatch(5, 4, 6));
    }

    /** Random token ids in [0, vocabulary), a repeated one in every row so one row of the table adds several gradients. */
    private static Batch tokensBatch(int batch, int timesteps, int vocabulary) {
        Random rng = new Random(5);
        double[] ids = new double[batch * timesteps];
        for (int i = 0; i < ids.length; i++) ids[i] = i % timesteps == 1 ? ids[i - 1] : rng.nextInt(vocabulary);
        INDArray x = Nd4j.create(Nd4j.defaultFloatingPointType(), new long[]{batch, timesteps}, 'c');
        NdArrays.write(ids, x);
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) y[i] = i % 3;
        return new Batch(x, y, null);
    }

    // ---- single layers, including dL/dInput ----

    @Test
    void layerInputGradients() {
        Random rng = new Random(11);
        INDArray img = GradientChecker.randn(new long[]{2, 2, 5, 5}, rng);
        assertLayer(new Conv2DLayer("c", Shape.image(2, 5, 5), 3, 3, 3, 1, 1, false, "tanh", null, null), img);
        assertLayer(new Conv2DLayer("c", Shape.image(2, 5, 5), 3, 3, 3, 2, 2, true, "linear", null, null), img);
        assertLayer(new MaxPool2DLayer("p", Shape.image(2, 5, 5), 2, 2, 2, 2, false), img);
        assertLayer(new MaxPool2DLayer("p", Shape.image(2, 5, 5), 2, 2, 2, 2, true), img);
        assertLayer(new BatchNormLayer("b", Shape.image(2, 5, 5), 0.99, 0.001), img);
        assertLayer(new FlattenLayer("f", Shape.image(2, 5, 5)), img);
        INDArray vec = GradientChecker.randn(new long[]{4, 6}, rng);
        assertLayer(new BatchNormLayer("b", Shape.vector(6), 0.99, 0.001), vec);
        assertLayer(new DenseLayer("d", Shape.vector(6), 3, "sigmoid", null, null, false), vec);
        assertLayer(new DenseLayer("d", Shape.image(2, 5, 5), 3, "tanh", null, null, false), img);
        INDArray seq = GradientChecker.randn(new long[]{3, 4, 2}, rng);
        assertLayer(new LstmLayer("l", Shape.sequence(4, 2), 3, true, null, null, null), seq);
        assertLayer(new LstmLayer("l", Shape.sequence(4, 2), 3, false, "tanh", "sigmoid", 0.3), seq);
        assertLayer(new SequenceBatchNormLayer("b", Shape.sequence(4, 2), 0.99, 0.001), seq);
        assertLayer(new FlattenLayer("f", Shape.sequence(4, 2)), seq);
        assertLayer(new GruLayer("g", Shape.sequence(4, 2), 3, true, null, null, null), seq);
        assertLayer(new GruLayer("g", Shape.sequence(4, 2), 3, false, "tanh", "sigmoid", 0.3), seq);
        assertLayer(new GlobalAveragePooling1DLayer("p", Shape.sequence(4, 2)), seq);
        INDArray tokens = Nd4j.create(Nd4j.defaultFloatingPointType(), new long[]{3, 4}, 'c');
        NdArrays.write(new double[]{0, 1, 2, 3, 3, 3, 1, 0, 4, 0, 2, 2}, tokens);
        assertLayer(new EmbeddingLayer("e", Shape.vector(4), 5, 2), tokens); // dL/dIds is 0: a lookup is flat in its id
    }

    private static void assertLayer(Layer layer, INDArray x) {
        assertThat(GradientChecker.checkLayer(layer, x.dup('c'), 5)).as(layer.type() + " " + layer.inputShape()).isEmpty();
    }

    // ---- helpers ----

    private static Network classifier(Shape input, LayerSpec... layers) {
        return NetworkBuilder.build(ModelSpec.of("sparse_categorical_crossentropy", layers), input, 7);
    }

    private static void check(Network net, int batch) {
        check(net, classesBatch(net, batch, 3));
    }

    private static void check(Network net, Batch b) {
        randomizeBiasesAndBatchNorm(net);
        List<GradientChecker.Mismatch> bad = GradientChecker.checkNetwork(net, b, 42);
        assertThat(bad).as(net.summary().render()).isEmpty();
    }

    /** Biases start at zero and gamma at one: perturb every parameter so no term is trivially right. */
    private static void randomizeBiasesAndBatchNorm(Network net) {
        INDArray p = net.params();
        p.addi(GradientChecker.randn(p.shape(), new Random(9)).muli(0.1));
    }

    private static Batch classesBatch(Network net, int batch, int classes) {
        Random rng = new Random(1);
        INDArray x = GradientChecker.randn(net.inputShape().batchShape(batch), rng);
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) y[i] = i % classes;
        return new Batch(x, y, null);
    }

    private static Target classesTarget(int n) {
        return Target.classes("label", n == 2 ? List.of("no", "yes") : CLASSES.subList(0, n));
    }

    private static LayerSpec withStrides(LayerSpec s, int stride) {
        return new LayerSpec(s.type(), s.units(), s.activation(), s.init(), s.alpha(), s.rate(), s.filters(), s.kernelSize(),
                List.of(stride, stride), s.padding(), s.poolSize(), s.momentum(), s.epsilon(), null, null, null);
    }
}
