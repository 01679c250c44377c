package io.trainserve.engine.nn;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Fully connected layer {@code a = act(x W + b)}. Image inputs are flattened (channels-first) on
 * the fly. As the output layer its activation is left to the loss head, which computes the loss
 * and dL/dz together (fused softmax + cross-entropy).
 */
public final class DenseLayer extends Layer {
    private final int nIn;
    private final int nOut;
    private final String activationName;
    private final IActivation activation;
    private final String init;
    private final boolean output;
    private final Double alpha;
    private final BatchBuffers<Buffers> buffers;

    private INDArray weights, bias, weightGrad, biasGrad;
    private INDArray input;
    private Buffers current;

    private record Buffers(INDArray z, INDArray a, INDArray dx, INDArray dz) {
    }

    public DenseLayer(String name, Shape inputShape, int units, String activation, Double alpha, String init, boolean output) {
        this(name, inputShape, units, activation, alpha, init, output, false);
    }

    /** @param rowMajorInputGradient dL/dInput c-ordered even for vector inputs (the layer below reshapes it to images) */
    public DenseLayer(String name, Shape inputShape, int units, String activation, Double alpha, String init, boolean output,
                      boolean rowMajorInputGradient) {
        super(name, inputShape);
        this.nIn = inputShape.size();
        this.nOut = units;
        this.activationName = activation == null ? "linear" : activation;
        this.activation = Activations.of(this.activationName, alpha);
        this.init = init;
        this.output = output;
        this.alpha = alpha;
        // dx in f order unless it must be reshaped back to an image (products into c-ordered results are slower)
        char dxOrder = inputShape.isImage() || rowMajorInputGradient ? 'c' : 'f';
        this.buffers = new BatchBuffers<>(b -> {
            INDArray z = NdArrays.zeros('f', b, nOut);
            // a rectifier's output overwrites z: its gradient needs only where z > 0, which is where
            // a > 0 for slopes from 0 up; a quarter less memory for the layer to pass through the cache
            INDArray a = output ? null : activatesInPlace(z) ? z : NdArrays.zeros('f', b, nOut);
            return new Buffers(z, a, NdArrays.zeros(dxOrder, b, nIn), output ? null : NdArrays.zeros('f', b, nOut));
        });
    }

    private boolean activatesInPlace(INDArray z) {
        return DenseKernels.supports(z, activationName) && alpha() >= 0;
    }

    @Override
    public String type() { return "dense"; }

    @Override
    public Shape outputShape() { return Shape.vector(nOut); }

    public String activationName() { return activationName; }

    public IActivation activation() { return activation; }

    public int units() { return nOut; }

    public INDArray weights() { return weights; }

    public INDArray bias() { return bias; }

    /** leaky_relu slope or elu alpha (defaults as in {@link Activations}). */
    public double alpha() { return alpha == null ? ("elu".equals(activationName) ? io.trainserve.engine.spec.KerasDefaults.ELU_ALPHA : io.trainserve.engine.spec.KerasDefaults.LEAKY_RELU_ALPHA) : alpha; }

    @Override
    public int paramCount() { return nIn * nOut + nOut; }

    @Override
    public void bind(INDArray params, INDArray grads, INDArray state) {
        weights = params.get(interval(0, nIn * nOut)).reshape('f', nIn, nOut);
        bias = params.get(interval(nIn * nOut, nIn * nOut + nOut));
        weightGrad = grads.get(interval(0, nIn * nOut)).reshape('f', nIn, nOut);
        biasGrad = grads.get(interval(nIn * nOut, nIn * nOut + nOut));
    }

    static org.nd4j.linalg.indexing.INDArrayIndex interval(long from, long to) {
        return org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to);
    }

    @Override
    public void initialize(SplittableRandom rng) {
        float[] w = new float[nIn * nOut];
        Initializers.fill(init, w, nIn, nOut, rng);
        NdArrays.write(w, 0, weights);
        bias.assign(0);
    }

    @Override
    public INDArray forward(INDArray in, ForwardContext context) {
        int batch = (int) in.size(0);
        input = in.rank() == 2 ? in : in.reshape('c', batch, nIn);
        current = buffers.forBatch(batch);
        Products.gemm(input, weights, current.z, false, false);
        if (DenseKernels.supports(current.z, output ? "linear" : activationName)) {
            DenseKernels.biasActivate(current.z, bias, current.a, activationName, (float) alpha());
            return output ? current.z : current.a;
        }
        current.z.addiRowVector(bias);
        if (output) return current.z;
        current.a.assign(current.z);
        activation.getActivation(current.a, context.training());
        return current.a;
    }

    @Override
    public INDArray backward(INDArray epsilon, boolean needInputGradient) {
        INDArray dz;
        if (DenseKernels.supports(current.z, output ? "linear" : activationName) && epsilon.ordering() == 'f'
                && epsilon.dataType() == current.z.dataType()) {
            dz = output ? epsilon : current.dz;
            DenseKernels.backward(current.z, epsilon, dz, biasGrad, output ? null : activationName, (float) alpha());
        } else {
            // z may hold the activations (activatesInPlace): for a rectifier with a slope from 0 up
            // they are positive exactly where z is, so ND4J's derivative of them is the derivative of z
            dz = output ? epsilon : activation.backprop(current.z, epsilon).getFirst();
            dz.sum(biasGrad, 0);
        }
        Products.gemm(input, dz, weightGrad, true, false);
        if (!needInputGradient) return null;
        Products.gemm(dz, weights, current.dx, false, true);
        return inputShape.isImage() ? current.dx.reshape('c', inputShape.batchShape((int) dz.size(0))) : current.dx;
    }

    @Override
    public List<INDArray[]> penalized() {
        return List.<INDArray[]>of(new INDArray[]{weights, weightGrad});
    }
}
