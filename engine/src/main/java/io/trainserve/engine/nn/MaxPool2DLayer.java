package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max pooling on NCHW images in plain Java ({@link MaxPooling}): the forward pass records each
 * maximum's position, the backward pass scatters the gradient there. With padding "same" the padded
 * positions never win (they are skipped, not zero), as in Keras.
 */
public final class MaxPool2DLayer extends Layer {
    private final Shape out;
    private final int ph, pw, sh, sw;
    private final boolean same;
    private final MaxPooling pooling;
    private final BatchBuffers<Buffers> buffers;
    private INDArray input;
    private Buffers current;
    private boolean recorded;
    /** The last forward pass's pooling was done by the convolution below ({@link Conv2DLayer#poolInto}). */
    private boolean pooledBelow;

    /** Work arrays for one batch size; the positions and dL/dInput only once training needs them. */
    private final class Buffers {
        final int batch;
        final INDArray out;
        int[] argmax;
        INDArray dx;

        Buffers(int batch) {
            this.batch = batch;
            out = NdArrays.zeros('c', MaxPool2DLayer.this.out.batchShape(batch));
        }

        int[] argmax() {
            if (argmax == null) argmax = new int[(int) out.length()];
            return argmax;
        }

        INDArray dx() {
            if (dx == null) dx = NdArrays.zeros('c', inputShape.batchShape(batch));
            return dx;
        }
    }

    public MaxPool2DLayer(String name, Shape in, int ph, int pw, int sh, int sw, boolean same) {
        super(name, in);
        this.ph = ph;
        this.pw = pw;
        this.sh = sh;
        this.sw = sw;
        this.same = same;
        out = Shape.image(in.channels(), ConvGeometry.outSize(in.height(), ph, sh, same), ConvGeometry.outSize(in.width(), pw, sw, same));
        pooling = new MaxPooling(new PatchIndex(1, in.height(), in.width(), ph, pw, sh, sw, same));
        buffers = new BatchBuffers<>(Buffers::new);
    }

    @Override
    public String type() { return "max_pool2d"; }

    @Override
    public Shape outputShape() { return out; }

    /** Input rows some window reads ({@link ConvGeometry#inputRead}). */
    int rowsRead() {
        return ConvGeometry.inputRead(inputShape.height(), ph, sh, same);
    }

    /** Input columns some window reads ({@link ConvGeometry#inputRead}). */
    int columnsRead() {
        return ConvGeometry.inputRead(inputShape.width(), pw, sw, same);
    }

    /** This layer's windows over the first {@code rows × columns} of each input plane (all it reads: {@link #rowsRead}). */
    MaxPooling poolingOver(int rows, int columns) {
        return new MaxPooling(new PatchIndex(1, rows, columns, ph, pw, sh, sw, same));
    }

    /** The pooling a convolution below uses when it pools its own output into this layer's buffers. */
    MaxPooling pooling() {
        return pooling;
    }

    /**
     * Hands this forward pass's pooling to the convolution below: it writes the pooled outputs into
     * the returned array (and the positions into {@link #positions()} when training), this layer's
     * forward then passes them on, and its backward passes the gradient down for the convolution to
     * scatter.
     */
    INDArray poolFromBelow(int batch, boolean training) {
        current = buffers.forBatch(batch);
        recorded = training;
        pooledBelow = true;
        return current.out;
    }

    /** The last forward pass's pooled outputs. */
    INDArray pooledOutput() {
        return current.out;
    }

    /** Where the last training forward pass's maxima came from; null after an inference pass. */
    int[] positions() {
        return recorded ? current.argmax() : null;
    }

    @Override
    public INDArray forward(INDArray in, ForwardContext context) {
        if (pooledBelow && current != null && in == current.out) return in; // pooled by the convolution below
        pooledBelow = false;
        int batch = (int) in.size(0);
        input = NdArrays.cOrder(in);
        current = buffers.forBatch(batch);
        recorded = context.training(); // inference never goes backward: skip the positions
        pooling.forward(input, batch * inputShape.channels(), current.out, recorded ? current.argmax() : null);
        return current.out;
    }

    @Override
    public INDArray backward(INDArray epsilon, boolean needInputGradient) {
        if (!needInputGradient) return null; // no parameters: nothing else to compute
        if (!recorded) throw new IllegalStateException(name + ": backward after an inference-mode forward pass");
        if (pooledBelow) return epsilon; // the convolution below scatters it with the positions it recorded
        pooling.backward(NdArrays.cOrder(epsilon), current.batch * inputShape.channels(), current.argmax(), current.dx());
        return current.dx();
    }
}
