package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;

/** Inverted dropout: while training, zeroes a {@code rate} fraction and scales the rest by 1/(1-rate); identity at inference. */
public final class DropoutLayer extends Layer {
    private final double rate;
    private final BatchBuffers<Buffers> buffers;
    private Buffers current;
    private boolean applied;

    private record Buffers(INDArray mask, INDArray out) {
    }

    public DropoutLayer(String name, Shape inputShape, double rate) {
        super(name, inputShape);
        this.rate = rate;
        this.buffers = new BatchBuffers<>(b -> new Buffers(
                NdArrays.zeros('c', inputShape.batchShape(b)), NdArrays.zeros('c', inputShape.batchShape(b))));
    }

    @Override
    public String type() { return "dropout"; }

    @Override
    public Shape outputShape() { return inputShape; }

    @Override
    public INDArray forward(INDArray input, ForwardContext context) {
        applied = context.training() && rate > 0;
        if (!applied) return input;
        current = buffers.forBatch((int) input.size(0));
        double keep = 1.0 - rate;
        Nd4j.getExecutioner().exec(new BernoulliDistribution(current.mask, keep), context.random());
        current.mask.divi(keep);
        current.out.assign(input).muli(current.mask);
        return current.out;
    }

    @Override
    public INDArray backward(INDArray epsilon, boolean needInputGradient) {
        return applied ? epsilon.muli(current.mask) : epsilon;
    }
}
