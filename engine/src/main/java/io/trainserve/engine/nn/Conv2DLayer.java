package io.trainserve.engine.nn;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.SplittableRandom;

/**
 * 2-D convolution on NCHW images through libnd4j's {@code conv2d} / {@code conv2d_bp} ops (im2col +
 * BLAS, or oneDNN where the build has it). Kernel layout {@code [oC, iC, kH, kW]} (libnd4j wFormat 1,
 * PyTorch's order) followed by the bias {@code [oC]} in the flat parameter array. Padding "same" is
 * Keras' (libnd4j computes the same split: the odd pixel goes after).
 */
public final class Conv2DLayer extends Layer {
    private static final int NCHW = 0;          // libnd4j data format flag: 0 = NCHW, 1 = NHWC
    private static final int W_OC_IC_KH_KW = 1; // libnd4j weights format 1

    private final Shape out;
    private final int iC, oC, kH, kW, sH, sW;
    private final boolean same;
    private final String activationName;
    private final IActivation activation;
    private final String init;
    private final BatchBuffers<Buffers> buffers;

    private INDArray weightsFlat, weights, bias, weightGrad, biasGrad;
    private INDArray input;
    private Buffers current;

    private record Buffers(INDArray z, INDArray a, INDArray dx) {
    }

    public Conv2DLayer(String name, Shape in, int filters, int kh, int kw, int sh, int sw, boolean same,
                       String activation, Double alpha, String init) {
        super(name, in);
        this.out = Shape.image(filters, ConvGeometry.outSize(in.height(), kh, sh, same), ConvGeometry.outSize(in.width(), kw, sw, same));
        this.iC = in.channels();
        this.oC = filters;
        this.kH = kh;
        this.kW = kw;
        this.sH = sh;
        this.sW = sw;
        this.same = same;
        this.activationName = activation == null ? "linear" : activation;
        this.activation = Activations.of(this.activationName, alpha);
        this.init = init;
        this.buffers = new BatchBuffers<>(b -> new Buffers(NdArrays.zeros('c', out.batchShape(b)),
                NdArrays.zeros('c', out.batchShape(b)), NdArrays.zeros('c', in.batchShape(b))));
    }

    @Override
    public String type() { return "conv2d"; }

    @Override
    public Shape outputShape() { return out; }

    public String activationName() { return activationName; }

    private int kernelCount() { return oC * iC * kH * kW; }

    @Override
    public int paramCount() { return kernelCount() + oC; }

    @Override
    public void bind(INDArray params, INDArray grads, INDArray state) {
        int k = kernelCount();
        weightsFlat = params.get(DenseLayer.interval(0, k));
        weights = weightsFlat.reshape('c', oC, iC, kH, kW);
        bias = params.get(DenseLayer.interval(k, k + oC));
        weightGrad = grads.get(DenseLayer.interval(0, k)).reshape('c', oC, iC, kH, kW);
        biasGrad = grads.get(DenseLayer.interval(k, k + oC));
    }

    @Override
    public void initialize(SplittableRandom rng) {
        float[] w = new float[kernelCount()];
        // Keras fans for convolutions: receptive field times channels in / out
        Initializers.fill(init, w, iC * kH * kW, oC * kH * kW, rng);
        NdArrays.write(w, 0, weightsFlat);
        bias.assign(0);
    }

    @Override
    public INDArray forward(INDArray in, ForwardContext context) {
        int batch = (int) in.size(0);
        input = NdArrays.cOrder(in.rank() == 4 ? in : in.reshape('c', inputShape.batchShape(batch)));
        current = buffers.forBatch(batch);
        Nd4j.exec(DynamicCustomOp.builder("conv2d")
                .addInputs(input, weights, bias)
                .addOutputs(current.z)
                .addIntegerArguments(iArgs())
                .build());
        current.a.assign(current.z);
        activation.getActivation(current.a, context.training());
        return current.a;
    }

    @Override
    public INDArray backward(INDArray epsilon, boolean needInputGradient) {
        INDArray eps = NdArrays.cOrder(epsilon);
        INDArray dz = activation.backprop(current.z, eps).getFirst();
        // conv2d_bp always produces dL/dInput; the buffer is ours, so skipping it would save no allocation
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                .addInputs(input, weights, bias, dz)
                .addOutputs(current.dx, weightGrad, biasGrad)
                .addIntegerArguments(iArgs())
                .build());
        return needInputGradient ? current.dx : null;
    }

    /** kH kW sH sW pH pW dH dW sameMode dataFormat weightsFormat; padding is derived by libnd4j in same mode. */
    private int[] iArgs() {
        return new int[]{kH, kW, sH, sW, 0, 0, 1, 1, same ? 1 : 0, NCHW, W_OC_IC_KH_KW};
    }

    @Override
    public List<INDArray[]> penalized() {
        return List.<INDArray[]>of(new INDArray[]{weights, weightGrad});
    }
}
