package io.trainserve.engine.spec;

import java.util.List;

/**
 * One layer of a sequential model, in Keras vocabulary. Only the fields that matter for
 * {@link #type()} are read; unset fields take Keras defaults.
 *
 * @param type        dense, dropout, batch_norm, flatten, conv2d, max_pool2d, lstm, gru, embedding, global_average_pooling1d
 * @param units       dense: output width
 * @param activation  dense/conv2d: linear relu leaky_relu elu sigmoid tanh softmax (default linear)
 * @param init        dense/conv2d weights: xavier he normal uniform zeros (default xavier, as Keras' glorot_uniform)
 * @param alpha       leaky_relu slope (default 0.2) or elu alpha (default 1.0)
 * @param rate        dropout: fraction of units dropped while training, in [0, 1)
 * @param filters     conv2d: output channels
 * @param kernelSize  conv2d: [h, w] or [k]
 * @param strides     conv2d/max_pool2d: [h, w] or [s] (conv default 1, pool default = poolSize)
 * @param padding     conv2d/max_pool2d: valid or same (default valid)
 * @param poolSize    max_pool2d: [h, w] or [p] (default 2)
 * @param momentum    batch_norm: running statistics momentum (default 0.99)
 * @param epsilon     batch_norm: variance epsilon (default 0.001)
 * @param returnSequences     lstm/gru: output every time step {@code [timesteps, units]} instead of the last {@code [units]} (default false)
 * @param recurrentActivation lstm/gru: the gates' activation (default sigmoid; {@code activation} defaults to tanh)
 * @param dropout             lstm/gru: fraction of the input features dropped while training, one mask per sequence (default 0)
 * @param inputDim            embedding: vocabulary size; token ids are whole numbers 0..inputDim-1
 * @param outputDim           embedding: width of each token's vector
 */
public record LayerSpec(
        String type,
        Integer units,
        String activation,
        String init,
        Double alpha,
        Double rate,
        Integer filters,
        List<Integer> kernelSize,
        List<Integer> strides,
        String padding,
        List<Integer> poolSize,
        Double momentum,
        Double epsilon,
        Boolean returnSequences,
        String recurrentActivation,
        Double dropout,
        Integer inputDim,
        Integer outputDim) {

    /** Every field but the embedding's (the form layers other than embedding are written in). */
    public LayerSpec(String type, Integer units, String activation, String init, Double alpha, Double rate, Integer filters,
                     List<Integer> kernelSize, List<Integer> strides, String padding, List<Integer> poolSize, Double momentum,
                     Double epsilon, Boolean returnSequences, String recurrentActivation, Double dropout) {
        this(type, units, activation, init, alpha, rate, filters, kernelSize, strides, padding, poolSize, momentum, epsilon,
                returnSequences, recurrentActivation, dropout, null, null);
    }

    public static LayerSpec dense(int units, String activation) {
        return new LayerSpec("dense", units, activation, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public static LayerSpec dense(int units, String activation, String init) {
        return new LayerSpec("dense", units, activation, init, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public static LayerSpec dropout(double rate) {
        return new LayerSpec("dropout", null, null, null, null, rate, null, null, null, null, null, null, null, null, null, null);
    }

    public static LayerSpec batchNorm() {
        return new LayerSpec("batch_norm", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public static LayerSpec flatten() {
        return new LayerSpec("flatten", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public static LayerSpec conv2d(int filters, int kernel, String activation) {
        return new LayerSpec("conv2d", null, activation, null, null, null, filters, List.of(kernel, kernel), null, null, null, null, null, null, null, null);
    }

    public static LayerSpec maxPool2d(int pool) {
        return new LayerSpec("max_pool2d", null, null, null, null, null, null, null, null, null, List.of(pool, pool), null, null, null, null, null);
    }

    public static LayerSpec lstm(int units, boolean returnSequences) {
        return new LayerSpec("lstm", units, null, null, null, null, null, null, null, null, null, null, null, returnSequences, null, null);
    }

    public static LayerSpec gru(int units, boolean returnSequences) {
        return new LayerSpec("gru", units, null, null, null, null, null, null, null, null, null, null, null, returnSequences, null, null);
    }

    public static LayerSpec embedding(int inputDim, int outputDim) {
        return new LayerSpec("embedding", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                inputDim, outputDim);
    }

    public static LayerSpec globalAveragePooling1d() {
        return new LayerSpec("global_average_pooling1d", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public LayerSpec withDropout(double d) {
        return new LayerSpec(type, units, activation, init, alpha, rate, filters, kernelSize, strides, padding, poolSize, momentum, epsilon,
                returnSequences, recurrentActivation, d, inputDim, outputDim);
    }

    public LayerSpec withActivations(String act, String recurrent) {
        return new LayerSpec(type, units, act, init, alpha, rate, filters, kernelSize, strides, padding, poolSize, momentum, epsilon,
                returnSequences, recurrent, dropout, inputDim, outputDim);
    }

    public LayerSpec withAlpha(double a) {
        return new LayerSpec(type, units, activation, init, a, rate, filters, kernelSize, strides, padding, poolSize, momentum, epsilon, returnSequences, recurrentActivation, dropout, inputDim, outputDim);
    }

    public LayerSpec withPadding(String p) {
        return new LayerSpec(type, units, activation, init, alpha, rate, filters, kernelSize, strides, p, poolSize, momentum, epsilon, returnSequences, recurrentActivation, dropout, inputDim, outputDim);
    }
}
