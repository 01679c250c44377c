package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Max pooling on NCHW images through libnd4j's {@code maxpool2d} / {@code maxpool2d_bp}. With padding
 * "same" the padded positions never win (they are skipped, not zero), as in Keras.
 */
public final class MaxPool2DLayer extends Layer {
    private final Shape out;
    private final int[] iArgs;
    private final BatchBuffers<Buffers> buffers;
    private INDArray input;
    private Buffers current;

    private record Buffers(INDArray out, INDArray dx) {
    }

    public MaxPool2DLayer(String name, Shape in, int ph, int pw, int sh, int sw, boolean same) {
        super(name, in);
        out = Shape.image(in.channels(), ConvGeometry.outSize(in.height(), ph, sh, same), ConvGeometry.outSize(in.width(), pw, sw, same));
        // kH kW sH sW pH pW dH dW sameMode extraParam(unused for max) dataFormat(0 = NCHW)
        iArgs = new int[]{ph, pw, sh, sw, 0, 0, 1, 1, same ? 1 : 0, 0, 0};
        buffers = new BatchBuffers<>(b -> new Buffers(NdArrays.zeros('c', out.batchShape(b)), NdArrays.zeros('c', in.batchShape(b))));
    }

    @Override
    public String type() { return "max_pool2d"; }

    @Override
    public Shape outputShape() { return out; }

    @Override
    public INDArray forward(INDArray in, ForwardContext context) {
        int batch = (int) in.size(0);
        input = NdArrays.cOrder(in.rank() == 4 ? in : in.reshape('c', inputShape.batchShape(batch)));
        current = buffers.forBatch(batch);
        Nd4j.exec(DynamicCustomOp.builder("maxpool2d").addInputs(input).addOutputs(current.out).addIntegerArguments(iArgs).build());
        return current.out;
    }

    @Override
    public INDArray backward(INDArray epsilon, boolean needInputGradient) {
        if (!needInputGradient) return null; // no parameters: nothing else to compute
        INDArray eps = NdArrays.cOrder(epsilon);
        Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp").addInputs(input, eps).addOutputs(current.dx).addIntegerArguments(iArgs).build());
        return current.dx;
    }
}
