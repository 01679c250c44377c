package io.trainserve.engine.nn;

import io.trainserve.engine.nn.BatchNormKernels.GroupLayout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalization over features (vectors) or channels (images), Keras semantics: batch
 * statistics while training (biased variance), running statistics with {@code momentum} at
 * inference; gamma and beta trainable, running mean and variance non-trainable state.
 * <p>
 * The work is done by {@link BatchNormKernels} in the layout the neighbours use: vectors f-ordered
 * (each feature a contiguous column, as dense layers produce them and as a dense layer's fused
 * backward wants its epsilon), images c-ordered NCHW (as convolution and pooling produce them).
 * An input or epsilon in another layout is first copied into a layer-owned array.
 */
public final class BatchNormLayer extends Layer {
    private final double momentum;
    private final double epsilon;
    private final int features;
    private final char order;
    private final BatchBuffers<Buffers> buffers;
    /** Of the last forward call, per feature: the statistics it normalized with. */
    private final double[] mean, variance, invStd;

    private INDArray gamma, beta, gammaGrad, betaGrad, runningMean, runningVar;
    private Buffers current;
    private boolean trainingForward;

    public BatchNormLayer(String name, Shape inputShape, double momentum, double epsilon) {
        super(name, inputShape);
        this.momentum = momentum;
        this.epsilon = epsilon;
        this.features = inputShape.isImage() ? inputShape.channels() : inputShape.size();
        this.order = inputShape.isImage() ? 'c' : 'f';
        this.buffers = new BatchBuffers<>(Buffers::new);
        this.mean = new double[features];
        this.variance = new double[features];
        this.invStd = new double[features];
    }

    /** One batch size's arrays, each created on first use: inference needs only {@code out}. */
    private final class Buffers {
        final long[] shape;
        final GroupLayout layout;
        private INDArray out, xhat, dx, stagedInput, stagedEpsilon;

        Buffers(int batch) {
            shape = inputShape.batchShape(batch);
            layout = inputShape.isImage()
                    ? GroupLayout.channels(batch, features, inputShape.height() * inputShape.width())
                    : GroupLayout.columns(batch, features);
        }

        INDArray out() { return out != null ? out : (out = zeros()); }

        INDArray xhat() { return xhat != null ? xhat : (xhat = zeros()); }

        INDArray dx() { return dx != null ? dx : (dx = zeros()); }

        /** In the parameters' type, which the network chose when it was built. */
        private INDArray zeros() {
            return Nd4j.create(gamma.dataType(), shape, order);
        }

        /** {@code a} itself when the kernels can read it as it is, else a copy in this layer's layout. */
        INDArray inLayout(INDArray a, boolean isEpsilon) {
            if (Values.usable(a, order, gamma.dataType())) return a;
            INDArray staged = isEpsilon ? stagedEpsilon : stagedInput;
            if (staged == null) staged = zeros();
            if (isEpsilon) stagedEpsilon = staged;
            else stagedInput = staged;
            return staged.assign(a.reshape(shape));
        }
    }

    @Override
    public String type() { return "batch_norm"; }

    @Override
    public Shape outputShape() { return inputShape; }

    @Override
    public int paramCount() { return 2 * features; }

    @Override
    public int stateCount() { return 2 * features; }

    @Override
    public void bind(INDArray params, INDArray grads, INDArray state) {
        gamma = params.get(DenseLayer.interval(0, features));
        beta = params.get(DenseLayer.interval(features, 2L * features));
        gammaGrad = grads.get(DenseLayer.interval(0, features));
        betaGrad = grads.get(DenseLayer.interval(features, 2L * features));
        runningMean = state.get(DenseLayer.interval(0, features));
        runningVar = state.get(DenseLayer.interval(features, 2L * features));
    }

    @Override
    public void initialize(java.util.SplittableRandom rng) {
        gamma.assign(1);
        beta.assign(0);
        runningMean.assign(0);
        runningVar.assign(1);
    }

    /** Inference as x * scale + shift per feature: {scale, shift} from gamma, beta and the running statistics. */
    public float[][] inferenceAffine() {
        float[] g = NdArrays.read(gamma), b = NdArrays.read(beta), m = NdArrays.read(runningMean), v = NdArrays.read(runningVar);
        float[] scale = new float[features], shift = new float[features];
        for (int j = 0; j < features; j++) {
            scale[j] = (float) (g[j] / Math.sqrt(v[j] + epsilon));
            shift[j] = b[j] - m[j] * scale[j];
        }
        return new float[][]{scale, shift};
    }

    @Override
    public INDArray forward(INDArray in, ForwardContext context) {
        current = buffers.forBatch((int) in.size(0));
        trainingForward = context.training();
        Values x = Values.of(current.inLayout(in, false));
        if (trainingForward) {
            BatchNormKernels.statistics(x, current.layout, mean, variance);
            updateRunningStatistics();
        } else {
            readInto(runningMean, mean);
            readInto(runningVar, variance);
        }
        for (int j = 0; j < features; j++) invStd[j] = 1 / Math.sqrt(variance[j] + epsilon);
        BatchNormKernels.normalize(x, current.layout, mean, invStd, Values.of(gamma), Values.of(beta),
                trainingForward ? Values.of(current.xhat()) : null, Values.of(current.out()));
        return current.out();
    }

    /** running = momentum * running + (1 - momentum) * batch, for the mean and the biased variance (Keras). */
    private void updateRunningStatistics() {
        Values rm = Values.of(runningMean), rv = Values.of(runningVar);
        for (int j = 0; j < features; j++) {
            rm.set(j, momentum * rm.get(j) + (1 - momentum) * mean[j]);
            rv.set(j, momentum * rv.get(j) + (1 - momentum) * variance[j]);
        }
    }

    private static void readInto(INDArray src, double[] dst) {
        Values v = Values.of(src);
        for (int j = 0; j < dst.length; j++) dst[j] = v.get(j);
    }

    @Override
    public INDArray backward(INDArray epsilon, boolean needInputGradient) {
        if (!trainingForward) {
            throw new IllegalStateException("batch norm backward needs a training-mode forward (batch statistics) first");
        }
        Values dy = Values.of(current.inLayout(epsilon, true));
        INDArray dx = needInputGradient ? current.dx() : null;
        BatchNormKernels.backward(dy, Values.of(current.xhat()), current.layout, invStd, Values.of(gamma),
                Values.of(gammaGrad), Values.of(betaGrad), dx == null ? null : Values.of(dx));
        return dx;
    }
}
