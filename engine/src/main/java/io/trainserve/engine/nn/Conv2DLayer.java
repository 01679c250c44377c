package io.trainserve.engine.nn;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.SplittableRandom;

/**
 * 2-D convolution on NCHW images as im2col + one matrix product per run of samples:
 * {@code cols [n·P, K] · W [K, oC]} forward, {@code colsᵀ · dZ} for the kernel gradient and
 * {@code dZ · Wᵀ} folded back (col2im) for dL/dInput. The unfolding, bias, activation and the layout
 * changes are Java loops over the native buffers ({@link Im2Col}, {@link ConvActivation}); libnd4j's
 * generic conv2d / conv2d_bp spent ~15× the products' time around them. Kernel layout
 * {@code [oC, iC, kH, kW]} (PyTorch's order) followed by the bias {@code [oC]} in the flat parameter
 * array, which is the same memory as the f-ordered {@code [K, oC]} matrix the products use. Padding
 * "same" is Keras' (the odd pixel goes after).
 */
public final class Conv2DLayer extends Layer {
    /**
     * Column matrices and products hold at most this many elements (16 MB in float32), so large
     * inference batches are unfolded a run of samples at a time instead of needing gigabytes; the
     * training batch of the benchmark CNN (100 × 121 windows × 288 taps) fits in one run.
     */
    static final long MAX_RUN_ELEMENTS = 1L << 22;

    private final Shape out;
    private final int iC, oC, kH, kW;
    private final String activationName;
    private final IActivation activation;
    private final boolean fused;
    private final String init;
    private final PatchIndex patches;
    private final Im2Col im2col;
    private final ConvActivation biasActivation;
    private final int runLength;
    private final BatchBuffers<Buffers> buffers;

    private INDArray weightsFlat, weights, bias, weightGrad, biasGrad;
    private INDArray input;
    private Buffers current;
    /** The max-pooling layer right above, if this layer pools its own output into it; float32 passes only. */
    private MaxPool2DLayer pooledBy;
    private boolean pooledLast;

    public Conv2DLayer(String name, Shape in, int filters, int kh, int kw, int sh, int sw, boolean same,
                       String activation, Double alpha, String init) {
        this(name, in, filters, kh, kw, sh, sw, same, activation, alpha, init, MAX_RUN_ELEMENTS);
    }

    /** @param maxRunElements bound on a column matrix's and a product's size (tests use small ones to force several runs) */
    Conv2DLayer(String name, Shape in, int filters, int kh, int kw, int sh, int sw, boolean same,
                String activation, Double alpha, String init, long maxRunElements) {
        super(name, in);
        this.out = Shape.image(filters, ConvGeometry.outSize(in.height(), kh, sh, same), ConvGeometry.outSize(in.width(), kw, sw, same));
        this.iC = in.channels();
        this.oC = filters;
        this.kH = kh;
        this.kW = kw;
        this.activationName = activation == null ? "linear" : activation;
        this.activation = Activations.of(this.activationName, alpha);
        double slope = alpha == null ? 0.2 : alpha; // leaky_relu's, as Activations
        this.fused = ConvActivation.fuses(activationName, slope);
        this.init = init;
        this.patches = new PatchIndex(iC, in.height(), in.width(), kh, kw, sh, sw, same);
        this.im2col = new Im2Col(patches);
        // other activations run through ND4J on the NCHW arrays, the fused pass adding only the bias
        this.biasActivation = new ConvActivation(fused ? activationName : "linear", slope, patches.windows);
        long perSample = (long) Math.max(patches.taps, oC) * patches.windows; // columns [P, K] or product [P, oC]
        this.runLength = (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxRunElements / perSample));
        this.buffers = new BatchBuffers<>(Buffers::new);
    }

    /** Work arrays for one batch size. */
    private final class Buffers {
        final int batch;
        /** Pre-activations, NCHW, only for activations run by ND4J (its backprop needs them). */
        final INDArray z;
        /** Outputs, NCHW, created by the first pass that does not pool them in place. */
        private INDArray out;
        /** Column matrix {@code [n·P, K]} and product {@code [n·P, oC]} for a full run of samples, and for the shorter last run. */
        final INDArray cols, product, lastCols, lastProduct;
        /** dL/dInput, created by the first backward pass that needs it (never for a first layer). */
        INDArray dx;

        Buffers(int batch) {
            this.batch = batch;
            z = fused ? null : NdArrays.zeros('c', Conv2DLayer.this.out.batchShape(batch));
            int run = Math.min(runLength, batch), last = batch % run == 0 ? run : batch % run;
            long rows = (long) run * patches.windows, lastRows = (long) last * patches.windows;
            INDArray colsMemory = NdArrays.zeros('c', rows * patches.taps), productMemory = NdArrays.zeros('c', rows * oC);
            cols = NdArrays.fMatrixView(colsMemory, rows, patches.taps);
            product = NdArrays.fMatrixView(productMemory, rows, oC);
            lastCols = NdArrays.fMatrixView(colsMemory, lastRows, patches.taps);
            lastProduct = NdArrays.fMatrixView(productMemory, lastRows, oC);
        }

        boolean oneRun() { return batch <= runLength; }

        INDArray cols(int count) { return count == Math.min(runLength, batch) ? cols : lastCols; }

        INDArray product(int count) { return count == Math.min(runLength, batch) ? product : lastProduct; }

        INDArray out() {
            if (out == null) out = NdArrays.zeros('c', Conv2DLayer.this.out.batchShape(batch));
            return out;
        }

        INDArray dx() {
            if (dx == null) dx = NdArrays.zeros('c', inputShape.batchShape(batch));
            return dx;
        }
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
        weights = weightsFlat.reshape('f', patches.taps, oC);
        bias = params.get(DenseLayer.interval(k, k + oC));
        weightGrad = grads.get(DenseLayer.interval(0, k)).reshape('f', patches.taps, oC);
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
     * reach other gradient positions; training stops on it anyway). Only for activations fused here;
     * NetworkBuilder links them.
     */
    void poolInto(MaxPool2DLayer pool) {
        if (fused && java.util.Arrays.equals(pool.inputShape().dims(), out.dims())) pooledBy = pool;
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
        pooledLast = pooledBy != null && input.dataType() == DataType.FLOAT;
        INDArray pooled = pooledLast ? pooledBy.poolFromBelow(batch, context.training()) : null;
        int run = Math.min(runLength, batch);
        for (int first = 0; first < batch; first += run) {
            int count = Math.min(run, batch - first);
            INDArray cols = current.cols(count), product = current.product(count);
            im2col.unfold(input, first, count, cols);
            Products.gemm(cols, weights, product, false, false);
            if (pooledLast) {
                biasActivation.forwardPooled(product, bias, first, count, pooledBy.pooling(), pooled, pooledBy.positions());
            } else {
                biasActivation.forward(product, bias, first, count, fused ? current.out() : current.z);
            }
        }
        if (pooledLast) return pooled;
        if (!fused) {
            current.out().assign(current.z);
            activation.getActivation(current.out(), context.training());
        }
        return current.out();
    }

    @Override
    public INDArray backward(INDArray epsilon, boolean needInputGradient) {
        INDArray dz = NdArrays.cOrder(epsilon);
        if (!fused) dz = NdArrays.cOrder(activation.backprop(current.z, dz).getFirst()); // overwrites z, not needed any more
        int batch = current.batch, run = Math.min(runLength, batch);
        for (int first = 0; first < batch; first += run) {
            int count = Math.min(run, batch - first);
            boolean later = first > 0;
            INDArray cols = current.cols(count), dzRun = current.product(count); // the forward product is spent: reuse it
            if (pooledLast) { // dz holds the gradient of the pooled outputs
                biasActivation.backwardPooled(pooledBy.pooledOutput(), dz, pooledBy.positions(), pooledBy.pooling(),
                        first, count, dzRun, biasGrad, later);
            } else {
                biasActivation.backward(current.out(), dz, first, count, dzRun, biasGrad, later); // out unread if not fused (linear)
            }
            if (!current.oneRun()) im2col.unfold(input, first, count, cols); // the forward pass kept only the last run
            Products.gemm(cols, dzRun, weightGrad, true, false, later);
            if (needInputGradient) {
                Products.gemm(dzRun, weights, cols, false, true, false); // dL/dcols over the spent columns
                im2col.fold(cols, first, count, current.dx());
            }
        }
        return needInputGradient ? current.dx() : null;
    }

    @Override
    public List<INDArray[]> penalized() {
        return List.<INDArray[]>of(new INDArray[]{weights, weightGrad});
    }
}
