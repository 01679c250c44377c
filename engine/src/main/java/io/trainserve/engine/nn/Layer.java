package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One layer of a sequential network. Parameters, their gradients and non-trainable state (batch
 * norm's running statistics) are views into the network's flat arrays, bound once by {@link #bind}.
 * Work buffers are owned by the layer and reused for every batch of the same size, so a training
 * step allocates nothing once warmed up. A layer instance is single-threaded; concurrent
 * inference uses replicas that share the parameter arrays.
 */
public abstract class Layer {
    protected final String name;
    protected final Shape inputShape;

    protected Layer(String name, Shape inputShape) {
        this.name = name;
        this.inputShape = inputShape;
    }

    public String name() { return name; }

    public abstract String type();

    public Shape inputShape() { return inputShape; }

    public abstract Shape outputShape();

    /** Trainable parameter count. */
    public int paramCount() { return 0; }

    /** Non-trainable state count (e.g. running mean and variance). */
    public int stateCount() { return 0; }

    /** Binds this layer's slices of the flat arrays; each argument is exactly this layer's length. */
    public void bind(INDArray params, INDArray grads, INDArray state) {
    }

    public void initialize(SplittableRandom rng) {
    }

    /**
     * @param input   {@code [batch, ...inputShape]}
     * @param context training flag and the run's random generator (dropout)
     * @return {@code [batch, ...outputShape]}, a buffer owned by this layer valid until the next call
     */
    public abstract INDArray forward(INDArray input, ForwardContext context);

    /**
     * Writes parameter gradients into the bound gradient views and returns dL/dInput.
     *
     * @param epsilon          dL/dOutput for the batch of the last forward call
     * @param needInputGradient false for the first layer (saves a product)
     */
    public abstract INDArray backward(INDArray epsilon, boolean needInputGradient);

    /** Weight matrices (with their gradient views) that L1/L2 penalties apply to; biases excluded, as in Keras. */
    public List<INDArray[]> penalized() { return List.of(); }
}
