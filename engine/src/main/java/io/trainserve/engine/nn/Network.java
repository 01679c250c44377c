package io.trainserve.engine.nn;

import io.trainserve.engine.Summary;
import io.trainserve.engine.spec.ModelSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A sequential network whose trainable parameters, their gradients and its non-trainable state
 * each live in one flat float32 array; every layer works on views of them. One updater call on the
 * flat gradient updates everything, and saving a model is writing two arrays.
 */
public final class Network {
    private final ModelSpec spec;
    private final Shape inputShape;
    private final List<Layer> layers;
    private final LossHead head;
    private final INDArray params;
    private final INDArray grads;
    private final INDArray state;
    private final int[] paramOffsets;
    private final BatchBuffers<INDArray> inputs;

    Network(ModelSpec spec, Shape inputShape, List<Layer> layers, LossHead head, INDArray params, INDArray state) {
        this.spec = spec;
        this.inputShape = inputShape;
        this.layers = List.copyOf(layers);
        this.head = head;
        int p = layers.stream().mapToInt(Layer::paramCount).sum();
        int s = layers.stream().mapToInt(Layer::stateCount).sum();
        this.params = params != null ? params : Nd4j.create(Nd4j.defaultFloatingPointType(), Math.max(p, 1));
        this.state = state != null ? state : Nd4j.create(Nd4j.defaultFloatingPointType(), Math.max(s, 1));
        this.grads = Nd4j.create(Nd4j.defaultFloatingPointType(), Math.max(p, 1));
        if (this.params.length() != Math.max(p, 1) || this.state.length() != Math.max(s, 1)) {
            throw new IllegalArgumentException("parameter arrays do not fit this architecture: " + this.params.length()
                    + "/" + this.state.length() + " given, " + p + "/" + s + " needed");
        }
        this.paramOffsets = new int[layers.size() + 1];
        int po = 0, so = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            paramOffsets[i] = po;
            l.bind(slice(this.params, po, l.paramCount()), slice(grads, po, l.paramCount()), slice(this.state, so, l.stateCount()));
            po += l.paramCount();
            so += l.stateCount();
        }
        paramOffsets[layers.size()] = po;
        this.inputs = new BatchBuffers<>(b -> NdArrays.zeros('c', inputShape.batchShape(b)));
    }

    private static INDArray slice(INDArray flat, int from, int length) {
        return length == 0 ? null : flat.get(DenseLayer.interval(from, from + length));
    }

    /** Glorot/He/... weights from the seed; biases zero; batch norm gamma 1, beta 0, running variance 1. */
    public void initialize(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (Layer l : layers) l.initialize(rng.split());
    }

    /** @return the output layer's pre-activations {@code [batch, units]} (a layer-owned buffer) */
    public INDArray forward(INDArray x, ForwardContext context, int frozenLayers) {
        INDArray a = x;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            // Keras: a frozen batch norm layer runs in inference mode and keeps its statistics
            boolean frozenBn = i < frozenLayers && l instanceof BatchNormLayer;
            a = l.forward(a, frozenBn ? new ForwardContext(false, context.random()) : context);
        }
        return a;
    }

    /** Backpropagates dL/dz of the output layer, filling the flat gradient (frozen layers keep zero gradient). */
    public void backward(INDArray dz, int frozenLayers) {
        // Below the lowest trainable layer nothing needs a gradient: a flatten or dropout at the
        // bottom would otherwise cost the first layer's dL/dInput product (a third of an MLP's
        // products) plus a copy, for a result no one reads.
        int lowest = lowestBackwardLayer(frozenLayers);
        INDArray eps = dz;
        for (int i = layers.size() - 1; i >= lowest; i--) {
            eps = layers.get(i).backward(eps, i > lowest);
        }
    }

    /** The lowest layer backpropagation visits: the first trainable layer at or above the frozen ones. */
    int lowestBackwardLayer(int frozenLayers) {
        int lowest = frozenLayers;
        while (lowest < layers.size() - 1 && layers.get(lowest).paramCount() == 0) lowest++;
        return lowest;
    }

    /**
     * Inference outputs for {@code count} scaled rows, row-major {@code count x width}, copied into an
     * input array this network keeps per batch size: allocating a native array per call cost more
     * than the MLP's forward pass for a batch of 256. Not thread-safe: use {@link #replica()}.
     */
    public float[] predict(float[] rows, int count) {
        INDArray x = inputBuffer(count);
        NdArrays.write(rows, 0, x);
        return predict(x);
    }

    /** This network's reusable input array for {@code count} rows, {@code [count, ...inputShape]}. */
    public INDArray inputBuffer(int count) {
        return inputs.forBatch(count);
    }

    /** Inference outputs (probabilities or values), row-major {@code batch x units}. Not thread-safe: use {@link #replica()}. */
    public float[] predict(INDArray x) {
        INDArray z = forward(x, ForwardContext.INFERENCE, 0);
        float[] out = new float[(int) z.length()];
        head.outputs(z, out);
        return out;
    }

    /** A network sharing this one's parameters and state but with its own buffers, for another thread. */
    public Network replica() {
        return NetworkBuilder.assemble(spec, inputShape, params, state);
    }

    public List<Layer> layers() { return layers; }

    public LossHead head() { return head; }

    public ModelSpec spec() { return spec; }

    public Shape inputShape() { return inputShape; }

    public INDArray params() { return params; }

    public INDArray grads() { return grads; }

    public INDArray state() { return state; }

    public int paramCount() { return paramOffsets[layers.size()]; }

    public int stateCount() { return layers.stream().mapToInt(Layer::stateCount).sum(); }

    /** Offset of layer i's parameters in the flat array; {@code paramOffset(layers().size())} is the total. */
    public int paramOffset(int layer) { return paramOffsets[layer]; }

    public int outputUnits() { return ((DenseLayer) layers.get(layers.size() - 1)).units(); }

    public List<INDArray[]> penalized(int frozenLayers) {
        List<INDArray[]> all = new ArrayList<>();
        for (int i = frozenLayers; i < layers.size(); i++) all.addAll(layers.get(i).penalized());
        return all;
    }

    /** Keras' model.summary(): one row per layer with output shape and parameter count. */
    public Summary summary() {
        List<Summary.Row> rows = new ArrayList<>();
        for (Layer l : layers) rows.add(new Summary.Row(l.name(), l.type(), l.outputShape().toString(), l.paramCount() + l.stateCount()));
        return new Summary(rows, paramCount(), stateCount());
    }
}
