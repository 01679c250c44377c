package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalization over features (vectors) or channels (images), Keras semantics: batch
 * statistics while training (biased variance), running statistics with {@code momentum} at
 * inference; gamma and beta trainable, running mean and variance non-trainable state.
 */
public final class BatchNormLayer extends Layer {
    private final double momentum;
    private final double epsilon;
    private final int features;
    private final int[] reduceDims;
    private final BatchBuffers<Buffers> buffers;

    private INDArray gamma, beta, gammaGrad, betaGrad, runningMean, runningVar;
    private Buffers current;
    private INDArray invStd;

    private record Buffers(INDArray xhat, INDArray out, INDArray dx) {
    }

    public BatchNormLayer(String name, Shape inputShape, double momentum, double epsilon) {
        super(name, inputShape);
        this.momentum = momentum;
        this.epsilon = epsilon;
        this.features = inputShape.isImage() ? inputShape.channels() : inputShape.size();
        this.reduceDims = inputShape.isImage() ? new int[]{0, 2, 3} : new int[]{0};
        this.buffers = new BatchBuffers<>(b -> new Buffers(
                NdArrays.zeros('c', inputShape.batchShape(b)), NdArrays.zeros('c', inputShape.batchShape(b)),
                NdArrays.zeros('c', inputShape.batchShape(b))));
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
        INDArray x = in.ordering() == 'c' ? in : in.dup('c');
        current = buffers.forBatch((int) x.size(0));
        INDArray mean, var;
        if (context.training()) {
            mean = x.mean(reduceDims);
            var = x.var(false, reduceDims);
            runningMean.muli(momentum).addi(mean.mul(1 - momentum));
            runningVar.muli(momentum).addi(var.mul(1 - momentum));
        } else {
            mean = runningMean;
            var = runningVar;
        }
        invStd = Transforms.pow(var.add(epsilon), -0.5, false);
        exec(new BroadcastSubOp(x, mean, current.xhat, 1));
        exec(new BroadcastMulOp(current.xhat, invStd, current.xhat, 1));
        exec(new BroadcastMulOp(current.xhat, gamma, current.out, 1));
        exec(new BroadcastAddOp(current.out, beta, current.out, 1));
        return current.out;
    }

    @Override
    public INDArray backward(INDArray epsilon, boolean needInputGradient) {
        INDArray dy = epsilon.ordering() == 'c' ? epsilon : epsilon.dup('c');
        INDArray xhat = current.xhat;
        dy.sum(betaGrad, reduceDims);
        INDArray dyXhat = dy.mul(xhat);
        dyXhat.sum(gammaGrad, reduceDims);
        if (!needInputGradient) return null;
        // dx = invStd * gamma * (dy - mean(dy) - xhat * mean(dy * xhat))
        INDArray meanDy = dy.mean(reduceDims);
        INDArray meanDyXhat = dyXhat.mean(reduceDims);
        INDArray dx = current.dx;
        exec(new BroadcastMulOp(xhat, meanDyXhat, dx, 1));
        dx.rsubi(dy);
        exec(new BroadcastSubOp(dx, meanDy, dx, 1));
        exec(new BroadcastMulOp(dx, invStd.mul(gamma), dx, 1));
        return dx;
    }

    private static void exec(org.nd4j.linalg.api.ops.Op op) {
        Nd4j.getExecutioner().exec(op);
    }
}
