package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Inverted dropout: while training, zeroes a {@code rate} fraction and scales the rest by 1/(1-rate); identity at inference.
 * The mask comes from the run's Java generator and is drawn in the same pass over the native
 * buffers that writes the output, in the input's own layout (f-ordered after a dense layer,
 * c-ordered after convolution or pooling), so the neighbours keep their fast paths. The mask is
 * kept as bits (1/32 of a float mask's memory traffic); ND4J needed its Bernoulli op and three
 * element-wise ops for the same.
 */
public final class DropoutLayer extends Layer {
    private final double rate;
    private final BatchBuffers<Buffers> cOrdered, fOrdered;
    private Buffers current;
    private boolean applied;

    /** One batch size's arrays in one layout; keep: bit i of word i / 64 is set when element i (in out's element order) is kept. */
    private static final class Buffers {
        final long[] keep;
        final INDArray out;
        /** Only for an epsilon in the other layout. */
        INDArray stagedEpsilon;

        Buffers(INDArray out) {
            this.out = out;
            this.keep = new long[(int) ((out.length() + 63) / 64)];
        }
    }

    public DropoutLayer(String name, Shape inputShape, double rate) {
        super(name, inputShape);
        this.rate = rate;
        this.cOrdered = new BatchBuffers<>(b -> buffers('c', b));
        this.fOrdered = new BatchBuffers<>(b -> buffers('f', b));
    }

    private Buffers buffers(char order, int batch) {
        return new Buffers(NdArrays.zeros(order, inputShape.batchShape(batch)));
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
        drop(Values.of(x), Values.of(current.out), current.keep, (int) x.length(), 1 - rate, context.random());
        return current.out;
    }

    /**
     * out = x / keep for a kept element, else 0, each element kept with probability {@code keep}.
     * Each 64-bit draw gives two 32-bit uniforms; a draw below the threshold keeps its element,
     * decided by the sign bit of the difference instead of a branch that would be mispredicted
     * for a good part of the elements.
     */
    private static void drop(Values x, Values out, long[] keepBits, int n, double keep, SplittableRandom rng) {
        long threshold = (long) (keep * 0x1p32);
        double scale = 1 / keep;
        Arrays.fill(keepBits, 0);
        for (int i = 0; i < n; i += 2) {
            long bits = rng.nextLong();
            long kept = ((bits & 0xFFFFFFFFL) - threshold) >>> 63;
            keepBits[i >>> 6] |= kept << i; // shifts use the low 6 bits of i
            out.set(i, x.get(i) * scale * kept);
            if (i + 1 < n) {
                long kept2 = ((bits >>> 32) - threshold) >>> 63;
                keepBits[(i + 1) >>> 6] |= kept2 << (i + 1);
                out.set(i + 1, x.get(i + 1) * scale * kept2);
            }
        }
    }

    /** Scales epsilon by the mask in place when it has the output's layout, else a copy of it in that layout. */
    @Override
    public INDArray backward(INDArray epsilon, boolean needInputGradient) {
        if (!applied) return epsilon;
        INDArray eps = epsilon;
        if (!Values.usable(epsilon, current.out.ordering(), epsilon.dataType())) {
            if (current.stagedEpsilon == null) current.stagedEpsilon = current.out.ulike();
            eps = current.stagedEpsilon.assign(epsilon);
        }
        Values e = Values.of(eps);
        long[] keepBits = current.keep;
        double scale = 1 / (1 - rate);
        int n = (int) eps.length();
        for (int i = 0; i < n; i++) e.set(i, e.get(i) * scale * ((keepBits[i >>> 6] >>> i) & 1));
        return eps;
    }
}
