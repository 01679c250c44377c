package io.trainserve.engine.nn;

import io.trainserve.engine.nn.BatchNormKernels.GroupLayout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalization over features (vectors) or channels (images), Keras semantics: batch
 * statistics while training (biased variance), running statistics with {@code momentum} at
 * inference; gamma and beta trainable, running mean and variance non-trainable state.
 * <p>
 * Each feature's (or channel's) values are gathered into a {@code double[]} in one bulk copy per
 * contiguous run, worked on by {@link BatchNormKernels} and written back, in the layout the
 * neighbours use: vectors f-ordered (each feature a contiguous column, as dense layers produce
 * them and as a dense layer's fused backward wants its epsilon), images c-ordered NCHW (as
 * convolution and pooling produce them; a run is one sample's {@code height x width} block).
 * An input or epsilon in another layout is first copied into a layer-owned array.
 */
public final class BatchNormLayer extends Layer {
    private final double momentum;
    private final double epsilon;
    private final int features;
    private final char order;
    private final BatchBuffers<Buffers> buffers;
    /** Batch mean and 1 / sqrt(batch variance + epsilon) per feature, from the last training forward, for backward. */
    private final double[] mean, invStd;
    /** Per part: float32 bulk copies between native memory and the double[] work arrays go through it. */
    private final float[][] staging = new float[ParallelLoops.MAX_PARTS][1024];

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
        this.invStd = new double[features];
    }

    /** One batch size's arrays, the ND4J ones created on first use: inference needs only {@code out}. */
    private final class Buffers {
        final long[] shape;
        final GroupLayout layout;
        /** Per part, one group's values at a time: input, then output; or dL/dOutput, then dL/dInput; and xhat. */
        final double[][] values, normalized;
        /** The last forward's input (or its copy in this layout); backward recomputes xhat from it. */
        INDArray input;
        private INDArray out, dx, stagedInput, stagedEpsilon;

        Buffers(int batch) {
            shape = inputShape.batchShape(batch);
            layout = inputShape.isImage()
                    ? GroupLayout.channels(batch, features, inputShape.height() * inputShape.width())
                    : GroupLayout.columns(batch, features);
            values = new double[ParallelLoops.MAX_PARTS][layout.groupSize()];
            normalized = new double[ParallelLoops.MAX_PARTS][layout.groupSize()];
        }

        INDArray out() { return out != null ? out : (out = zeros()); }

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

    /**
     * Writes only the output: backward recomputes xhat from the input, which is cheaper than
     * storing it (a memory pass less each way). The input stays valid until then, as the layer
     * that produced it is not called again before this layer's backward.
     */
    @Override
    public INDArray forward(INDArray in, ForwardContext context) {
        current = buffers.forBatch((int) in.size(0));
        trainingForward = context.training();
        current.input = current.inLayout(in, false);
        Buffers buf = current;
        GroupLayout layout = buf.layout;
        INDArray input = buf.input, output = buf.out();
        Values g = Values.of(gamma), b = Values.of(beta), rm = Values.of(runningMean), rv = Values.of(runningVar);
        boolean training = trainingForward;
        int n = layout.groupSize();
        ParallelLoops.runInParts(features, ParallelLoops.partsForPass((long) n * features), (from, to, part) -> {
            Values x = values(input, part), out = values(output, part);
            double[] values = buf.values[part];
            for (int j = from; j < to; j++) {
                layout.gather(x, j, values);
                double m, variance;
                if (training) {
                    m = Sums.sum(values, n) / n;
                    variance = BatchNormKernels.variance(values, n, m);
                    // running = momentum * running + (1 - momentum) * batch, for the mean and the biased variance (Keras)
                    rm.set(j, momentum * rm.get(j) + (1 - momentum) * m);
                    rv.set(j, momentum * rv.get(j) + (1 - momentum) * variance);
                } else {
                    m = rm.get(j);
                    variance = rv.get(j);
                }
                mean[j] = m;
                invStd[j] = 1 / Math.sqrt(variance + epsilon);
                BatchNormKernels.affine(values, n, m, invStd[j] * g.get(j), b.get(j));
                layout.scatter(values, j, out);
            }
        });
        return output;
    }

    @Override
    public INDArray backward(INDArray epsilon, boolean needInputGradient) {
        if (!trainingForward) {
            throw new IllegalStateException("batch norm backward needs a training-mode forward (batch statistics) first");
        }
        Buffers buf = current;
        GroupLayout layout = buf.layout;
        INDArray dyArr = buf.inLayout(epsilon, true), input = buf.input, dxArr = needInputGradient ? buf.dx() : null;
        Values g = Values.of(gamma), gGrad = Values.of(gammaGrad), bGrad = Values.of(betaGrad);
        int n = layout.groupSize();
        ParallelLoops.runInParts(features, ParallelLoops.partsForPass((long) n * features), (from, to, part) -> {
            Values dy = values(dyArr, part), x = values(input, part), dx = dxArr == null ? null : values(dxArr, part);
            double[] grad = buf.values[part], xhat = buf.normalized[part];
            for (int j = from; j < to; j++) {
                layout.gather(dy, j, grad);
                layout.gather(x, j, xhat);
                BatchNormKernels.standardize(xhat, n, mean[j], invStd[j]);
                double sumDy = Sums.sum(grad, n), sumDyXhat = BatchNormKernels.dot(grad, xhat, n);
                bGrad.set(j, sumDy);
                gGrad.set(j, sumDyXhat);
                if (dx == null) continue;
                BatchNormKernels.inputGradient(grad, xhat, n, invStd[j] * g.get(j), sumDy, sumDyXhat);
                layout.scatter(grad, j, dx);
            }
        });
        return dxArr;
    }

    private Values values(INDArray a, int part) {
        return Values.of(a, staging[part]);
    }
}
