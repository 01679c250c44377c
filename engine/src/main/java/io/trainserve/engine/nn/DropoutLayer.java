package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;

/**
 * Inverted dropout: while training, zeroes a {@code rate} fraction and scales the rest by 1/(1-rate); identity at inference.
 * The mask comes from the run's Java generator and is written together with the output in one pass
 * over the native buffers, in the input's own layout (f-ordered after a dense layer, c-ordered
 * after convolution or pooling), so the neighbours keep their fast paths; ND4J needed its
 * Bernoulli op and three element-wise ops for the same.
 */
public final class DropoutLayer extends Layer {
    private final double rate;
    private final BatchBuffers<Buffers> cOrdered, fOrdered;
    private Buffers current;
    private boolean applied;

    /** mask holds 0 or 1/(1-rate) per element, in the same layout as out. */
    private record Buffers(INDArray mask, INDArray out) {
    }

    public DropoutLayer(String name, Shape inputShape, double rate) {
        super(name, inputShape);
        this.rate = rate;
        this.cOrdered = new BatchBuffers<>(b -> buffers('c', b));
        this.fOrdered = new BatchBuffers<>(b -> buffers('f', b));
    }

    private Buffers buffers(char order, int batch) {
        return new Buffers(NdArrays.zeros(order, inputShape.batchShape(batch)), NdArrays.zeros(order, inputShape.batchShape(batch)));
    }

    @Override
    public String type() { return "dropout"; }

    @Override
    public Shape outputShape() { return inputShape; }

    @Override
    public INDArray forward(INDArray input, ForwardContext context) {
        applied = context.training() && rate > 0;
        if (!applied) return input;
        char order = input.ordering();
        current = (order == 'f' ? fOrdered : cOrdered).forBatch((int) input.size(0));
        INDArray x = input;
        if (!Values.usable(input, order, input.dataType())) x = current.out.assign(input); // a strided view: scale a copy in place
        maskAndScale(Values.of(x), Values.of(current.mask), Values.of(current.out), (int) x.length(), 1 - rate, context.random());
        return current.out;
    }

    /**
     * mask = 1/keep with probability keep, else 0; out = x * mask. Each 64-bit draw gives two
     * 32-bit uniforms; the comparison is done by a sign bit rather than a branch, which would be
     * mispredicted for a good part of the elements.
     */
    static void maskAndScale(Values x, Values mask, Values out, int n, double keep, SplittableRandom rng) {
        long threshold = (long) (keep * 0x1p32); // keep when a uniform 32-bit draw is below it
        double scale = 1 / keep;
        for (int i = 0; i < n; i += 2) {
            long bits = rng.nextLong();
            double m = scale * (((bits & 0xFFFFFFFFL) - threshold) >>> 63);
            mask.set(i, m);
            out.set(i, x.get(i) * m);
            if (i + 1 < n) {
                double m2 = scale * (((bits >>> 32) - threshold) >>> 63);
                mask.set(i + 1, m2);
                out.set(i + 1, x.get(i + 1) * m2);
            }
        }
    }

    @Override
    public INDArray backward(INDArray epsilon, boolean needInputGradient) {
        if (!applied) return epsilon;
        if (!Values.usable(epsilon, current.mask.ordering(), epsilon.dataType())) return epsilon.muli(current.mask);
        Values eps = Values.of(epsilon), mask = Values.of(current.mask);
        int n = (int) epsilon.length();
        for (int i = 0; i < n; i++) eps.set(i, eps.get(i) * mask.get(i));
        return epsilon;
    }
}
