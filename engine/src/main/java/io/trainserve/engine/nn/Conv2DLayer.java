package io.trainserve.engine.nn;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.SplittableRandom;

/**
 * 2-D convolution on NCHW images as im2col + matrix products, a chunk of a few samples at a time:
 * {@code cols [n·P, K] · W [K, oC]} forward, {@code colsᵀ · dZ} for the kernel gradient and
 * {@code dZ · Wᵀ} folded back (col2im) for dL/dInput. The unfolding, bias, activation and the layout
 * changes are Java loops over the native buffers ({@link Im2Col}, {@link ConvActivation}); libnd4j's
 * generic conv2d / conv2d_bp spent ~15× the products' time around them. Kernel layout
 * {@code [oC, iC, kH, kW]} (PyTorch's order) followed by the bias {@code [oC]} in the flat parameter
 * array, which is the same memory as the f-ordered {@code [K, oC]} matrix the products use. Padding
 * "same" is Keras' (the odd pixel goes after).
 *
 * <p>Each core takes a contiguous share of the batch and runs every stage on one chunk of its
 * samples after another, so a chunk's columns and products stay in that core's L2 cache. The
 * columns of a whole batch (14 MB for the benchmark CNN's conv2) had gone through memory five
 * times a step: unfolded, multiplied, unfolded columns read again for the kernel gradient, their
 * gradient written and folded. The backward pass unfolds a chunk again rather than keep them.
 * Each core sums its own kernel gradient; the sums are added in core order, so results do not
 * depend on timing.
 */
public final class Conv2DLayer extends Layer {
    /**
     * A chunk's column matrix and product hold at most this many elements (512 KB in float32), so
     * both, with the kernel, fit a core's L2 cache: 3 samples of the benchmark CNN's conv2
     * (121 windows × 288 taps each), 6 of its conv1.
     */
    static final long CHUNK_ELEMENTS = 1L << 17;

    private final Shape out;
    private final int iC, oC, kH, kW;
    private final String activationName;
    private final IActivation activation;
    private final boolean fused;
    private final String init;
    private final double slope;
    private final long chunkElements;
    private final int sh, sw;
    private final boolean same;
    /** Every output position's window. */
    private final Windows all;
    /** The windows the pooling layer above reads, when this layer pools its output: all of them, or fewer ({@link #poolInto}). */
    private Windows pooledWindows;
    /** The window set of the last forward pass. */
    private Windows windows;
    /** Pooling over the pooled windows' output plane, as the layer above pools the whole plane. */
    private MaxPooling pooling;
    private final BatchBuffers<Buffers> buffers;
    /** Each core's share of the kernel gradient, for cores after the first. */
    private final INDArray[] partWeightGrads = new INDArray[ParallelLoops.MAX_PARTS];

    private INDArray weightsFlat, weights, bias, weightGrad, biasGrad;
    private INDArray input;
    private Buffers current;
    /** The max-pooling layer right above, if this layer pools its own output into it; float32 passes only. */
    private MaxPool2DLayer pooledBy;
    private boolean pooledLast;
    /** The last forward pass's pooled outputs, or null. */
    private INDArray pooled;
    /** Cores the last forward pass was split over (its backward pass uses the same shares). */
    private int parts;

    public Conv2DLayer(String name, Shape in, int filters, int kh, int kw, int sh, int sw, boolean same,
                       String activation, Double alpha, String init) {
        this(name, in, filters, kh, kw, sh, sw, same, activation, alpha, init, CHUNK_ELEMENTS);
    }

    /** @param chunkElements bound on a chunk's column matrix and product (tests use small ones to force several chunks) */
    Conv2DLayer(String name, Shape in, int filters, int kh, int kw, int sh, int sw, boolean same,
                String activation, Double alpha, String init, long chunkElements) {
        super(name, in);
        this.out = Shape.image(filters, ConvGeometry.outSize(in.height(), kh, sh, same), ConvGeometry.outSize(in.width(), kw, sw, same));
        this.iC = in.channels();
        this.oC = filters;
        this.kH = kh;
        this.kW = kw;
        this.activationName = activation == null ? "linear" : activation;
        this.activation = Activations.of(this.activationName, alpha);
        double slope = alpha == null ? io.trainserve.engine.spec.KerasDefaults.LEAKY_RELU_ALPHA : alpha; // leaky_relu's, as Activations
        this.fused = ConvActivation.fuses(activationName, slope);
        this.init = init;
        this.slope = slope;
        this.chunkElements = chunkElements;
        this.sh = sh;
        this.sw = sw;
        this.same = same;
        this.all = new Windows(new PatchIndex(iC, in.height(), in.width(), kh, kw, sh, sw, same));
        this.buffers = new BatchBuffers<>(Buffers::new);
    }

    /** Work arrays for one batch size. */
    private final class Buffers {
        final int batch;
        /** Cores the batch is split over: one unless each gets a few chunks' worth of products. */
        final int parts;
        /** Pre-activations, NCHW, only for activations run by ND4J (its backprop needs them). */
        final INDArray z;
        /** Outputs, NCHW, created by the first pass that does not pool them in place. */
        private INDArray out;
        /** dL/dInput, created by the first backward pass that needs it (never for a first layer). */
        INDArray dx;

        Buffers(int batch) {
            this.batch = batch;
            long multiplyAdds = (long) batch * all.patches.windows * all.patches.taps * oC;
            this.parts = (int) Math.min(batch, Math.min(ParallelLoops.MAX_PARTS, Math.max(1, multiplyAdds / Products.SPLIT_FROM)));
            z = fused ? null : NdArrays.zeros('c', Conv2DLayer.this.out.batchShape(batch));
        }

        INDArray out() {
            if (out == null) out = NdArrays.zeros('c', Conv2DLayer.this.out.batchShape(batch));
            return out;
        }

        INDArray dx() {
            if (dx == null) dx = NdArrays.zeros('c', inputShape.batchShape(batch));
            return dx;
        }
    }

    /**
     * One set of output windows and what works on it: the unfolding, the bias and activation passes,
     * and each core's chunk arrays, a column matrix {@code [n·P, K]} and product {@code [n·P, oC]}
     * (f-ordered views per sample count n, made on first use: the last chunk of a share may be shorter).
     */
    private final class Windows {
        final PatchIndex patches;
        final Im2Col im2col;
        final ConvActivation activation;
        /** Samples per chunk. */
        final int chunk;
        private final INDArray[] colsMemory = new INDArray[ParallelLoops.MAX_PARTS], productMemory = new INDArray[ParallelLoops.MAX_PARTS];
        private final INDArray[][] cols = new INDArray[ParallelLoops.MAX_PARTS][], products = new INDArray[ParallelLoops.MAX_PARTS][];

        Windows(PatchIndex patches) {
            this.patches = patches;
            this.im2col = new Im2Col(patches);
            // other activations run through ND4J on the NCHW arrays, the fused pass adding only the bias
            this.activation = new ConvActivation(fused ? activationName : "linear", slope, patches.windows);
            long perSample = (long) Math.max(patches.taps, oC) * patches.windows; // columns [P, K] or product [P, oC]
            this.chunk = (int) Math.max(1, Math.min(Integer.MAX_VALUE, chunkElements / perSample));
        }

        /** Creates the part's arrays; called before the parts start. */
        void prepare(int part) {
            if (colsMemory[part] != null) return;
            colsMemory[part] = NdArrays.zeros('c', (long) chunk * patches.windows * patches.taps);
            productMemory[part] = NdArrays.zeros('c', (long) chunk * patches.windows * oC);
            cols[part] = new INDArray[chunk + 1];
            products[part] = new INDArray[chunk + 1];
        }

        INDArray cols(int part, int count) {
            INDArray[] views = cols[part];
            if (views[count] == null) views[count] = NdArrays.fMatrixView(colsMemory[part], (long) count * patches.windows, patches.taps);
            return views[count];
        }

        INDArray product(int part, int count) {
            INDArray[] views = products[part];
            if (views[count] == null) views[count] = NdArrays.fMatrixView(productMemory[part], (long) count * patches.windows, oC);
            return views[count];
        }
    }

    private INDArray partWeightGrad(int part) {
        if (partWeightGrads[part] == null) partWeightGrads[part] = NdArrays.zeros('f', all.patches.taps, oC);
        return partWeightGrads[part];
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
        weights = weightsFlat.reshape('f', all.patches.taps, oC);
        bias = params.get(DenseLayer.interval(k, k + oC));
        weightGrad = grads.get(DenseLayer.interval(0, k)).reshape('f', all.patches.taps, oC);
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

    /**
     * Lets this layer pool its own activations into the max-pooling layer right above, in the same
     * pass (ConvActivation#forwardPooled): the NCHW activations, 8.6 MB a step for the benchmark
     * CNN's first layer, are then never written, read back, or scattered into on the way down.
     * Results are the same bit for bit while activations are finite (a NaN, from a diverged step, may
     * reach other gradient positions; training stops on it anyway), except as below. Only for
     * activations fused here; NetworkBuilder links them.
     *
     * <p>Output positions no pooling window reads (the last row and column of the benchmark CNN's
     * 11×11 conv2 output, pooled 2×2 to 5×5) are then not computed at all: 21 of 121 windows. Their
     * gradient was 0, so only the order of the products' sums changes: the kernel gradient may then
     * differ from the separate layers' in the last bits.
     */
    void poolInto(MaxPool2DLayer pool) {
        if (!fused || !java.util.Arrays.equals(pool.inputShape().dims(), out.dims())) return;
        pooledBy = pool;
        int rows = pool.rowsRead(), columns = pool.columnsRead();
        boolean cropped = rows < out.height() || columns < out.width();
        pooledWindows = cropped
                ? new Windows(new PatchIndex(iC, inputShape.height(), inputShape.width(), kH, kW, sh, sw, same, rows, columns))
                : all;
        pooling = cropped ? pool.poolingOver(rows, columns) : pool.pooling();
    }

    /** Output positions a pooled forward pass computes ({@link #poolInto}): all, or only those the pooling reads. */
    int pooledWindowCount() {
        return (pooledBy == null ? all : pooledWindows).patches.windows;
    }

    /** True once linked to pool its output ({@link #poolInto}). */
    boolean poolsItsOutput() {
        return pooledBy != null;
    }

    @Override
    public INDArray forward(INDArray in, ForwardContext context) {
        int batch = (int) in.size(0);
        input = NdArrays.cOrder(in); // the loops need contiguous NCHW memory; the rank does not matter
        current = buffers.forBatch(batch);
        boolean float32 = input.dataType() == DataType.FLOAT;
        parts = float32 ? current.parts : 1; // float64 (gradient checks) multiplies through ND4J: one thread
        pooledLast = pooledBy != null && float32;
        pooled = pooledLast ? pooledBy.poolFromBelow(batch, context.training()) : null;
        windows = pooledLast ? pooledWindows : all;
        // everything the parts share exists before they start
        INDArray target = pooledLast ? null : fused ? current.out() : current.z;
        int[] positions = pooledLast ? pooledBy.positions() : null;
        for (int part = 0; part < parts; part++) windows.prepare(part);
        ParallelLoops.runInParts(batch, parts, (from, to, part) -> forwardPart(from, to, part, target, positions));
        if (pooledLast) return pooled;
        if (!fused) {
            current.out().assign(current.z);
            activation.getActivation(current.out(), context.training());
        }
        return current.out();
    }

    /** Samples {@code [from, to)}, a chunk at a time, into {@code target} (NCHW) or the pooling layer's outputs. */
    private void forwardPart(int from, int to, int part, INDArray target, int[] positions) {
        Windows w = windows;
        for (int first = from; first < to; first += w.chunk) {
            int count = Math.min(w.chunk, to - first);
            INDArray cols = w.cols(part, count), product = w.product(part, count);
            w.im2col.unfold(input, first, count, cols, part);
            Products.gemm(cols, weights, product, false, false);
            if (pooledLast) {
                w.activation.forwardPooled(product, bias, first, count, pooling, pooled, positions, part);
            } else {
                w.activation.forward(product, bias, first, count, target, part);
            }
        }
    }

    @Override
    public INDArray backward(INDArray epsilon, boolean needInputGradient) {
        INDArray dz = NdArrays.cOrder(epsilon);
        if (!fused) dz = NdArrays.cOrder(activation.backprop(current.z, dz).getFirst()); // overwrites z, not needed any more
        INDArray eps = dz, dx = needInputGradient ? current.dx() : null;
        INDArray outputs = pooledLast ? pooled : current.out(); // read for the fused activation's derivative
        int[] positions = pooledLast ? pooledBy.positions() : null;
        for (int part = 1; part < parts; part++) partWeightGrad(part); // made before the parts start
        windows.activation.startBackward(oC, parts);
        ParallelLoops.runInParts(current.batch, parts, (from, to, part) -> backwardPart(from, to, part, eps, outputs, positions, dx));
        windows.activation.finishBackward(biasGrad, parts);
        for (int part = 1; part < parts; part++) weightGrad.addi(partWeightGrads[part]); // in core order
        return dx;
    }

    /** Samples {@code [from, to)}, a chunk at a time: this core's kernel gradient, and dL/dInput unless {@code dx} is null. */
    private void backwardPart(int from, int to, int part, INDArray eps, INDArray outputs, int[] positions, INDArray dx) {
        Windows w = windows;
        INDArray kernelGrad = part == 0 ? weightGrad : partWeightGrads[part];
        for (int first = from; first < to; first += w.chunk) {
            int count = Math.min(w.chunk, to - first);
            INDArray cols = w.cols(part, count), dzChunk = w.product(part, count); // the forward product is spent: reuse it
            if (pooledLast) { // eps holds the gradient of the pooled outputs
                w.activation.backwardPooled(outputs, eps, positions, pooling, first, count, dzChunk, oC, part);
            } else {
                w.activation.backward(outputs, eps, first, count, dzChunk, oC, part); // outputs unread if not fused (linear)
            }
            w.im2col.unfold(input, first, count, cols, part);
            Products.gemm(cols, dzChunk, kernelGrad, true, false, first > from);
            if (dx != null) {
                Products.gemm(dzChunk, weights, cols, false, true, false); // dL/dcols over the spent columns
                w.im2col.fold(cols, first, count, dx, part);
            }
        }
    }

    @Override
    public List<INDArray[]> penalized() {
        return List.<INDArray[]>of(new INDArray[]{weights, weightGrad});
    }
}
