package io.trainserve.bench.jmh;

import io.trainserve.engine.nn.ForwardContext;
import io.trainserve.engine.nn.NdArrays;
import io.trainserve.engine.nn.Network;
import io.trainserve.engine.nn.NetworkBuilder;
import io.trainserve.engine.train.Optimizers;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The training hot path of the MLP 784-256-256-10 at batch 100, kernel by kernel, on the engine's
 * internals exactly as {@code TrainingRun.epoch} drives them (forward, fused softmax-cross-entropy
 * head, backward into the flat gradient, one Adam call on the flat 269,322-element gradient, the
 * parameter update). 600 steps are one Fashion-MNIST epoch: {@code step} × 600 ≈ seconds per epoch
 * without data shuffling/gathering and metric bookkeeping.
 *
 * <p>These use engine internals (nn.Network, LossHead, train.Optimizers): when the training loop
 * changes, change {@link #step()} with it so it stays the trainer's real step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class TrainingKernelsBenchmark {
    static final int BATCH = 100;

    Network net;
    INDArray x;
    INDArray z;
    INDArray dz;
    INDArray logits;
    INDArray logitsGrad;
    int[] classes;
    float[] outputs;
    GradientUpdater<?> adam;
    final io.trainserve.engine.train.FusedAdam fusedAdam = Optimizers.fusedAdam();
    final io.trainserve.engine.train.FusedAdam fusedAdamForBench = Optimizers.fusedAdam();
    INDArray adamState, fusedAdamState;
    INDArray adamGrads;
    INDArray adamParams;
    ForwardContext training;
    int iteration;

    @Setup(Level.Trial)
    public void setUp() {
        net = NetworkBuilder.build(Fixtures.mlp(), Fixtures.IMAGE, 1);
        if (net.paramCount() != 269_322) throw new IllegalStateException(net.paramCount() + " parameters");
        float[] pixels = Fixtures.pixels(BATCH, 3);
        for (int i = 0; i < pixels.length; i++) pixels[i] /= 255f;
        x = NdArrays.zeros('c', Fixtures.IMAGE.batchShape(BATCH));
        NdArrays.write(pixels, 0, x);
        classes = Fixtures.labels(BATCH, 4);
        outputs = new float[BATCH * 10];
        training = new ForwardContext(true, new SplittableRandom(5));
        z = net.forward(x, training, 0);
        dz = NdArrays.zeros(z.ordering(), BATCH, 10);
        // the head on its own: logits of the same order as the network's output layer
        logits = z.dup(z.ordering());
        logitsGrad = NdArrays.zeros(z.ordering(), BATCH, 10);
        IUpdater config = Optimizers.create("adam", 0.001, 0.9);
        INDArray state = NdArrays.zeros('c', config.stateSize(net.paramCount()));
        adam = config.instantiate(state, true);
        adamState = NdArrays.zeros('c', config.stateSize(net.paramCount()));
        fusedAdamState = NdArrays.zeros('c', config.stateSize(net.paramCount()));
        // a separate gradient for the Adam-only benchmark (Adam turns it into the update in place;
        // repeated in place its magnitude settles near the learning rate, so no denormals)
        adamGrads = Nd4j.rand(Nd4j.defaultFloatingPointType(), net.paramCount()).subi(0.5).muli(0.01);
        adamParams = net.params().dup();
    }

    /** One full optimizer step as the trainer runs it: forward + loss head + backward + fused Adam. */
    @Benchmark
    public double step() {
        INDArray out = net.forward(x, training, 0);
        double loss = net.head().apply(out, classes, null, outputs, dz);
        net.backward(dz, 0);
        fusedAdam.step(net.params(), net.grads(), adamState, 0.001, iteration++);
        return loss;
    }

    /** Forward pass only (training mode). */
    @Benchmark
    public INDArray forward() {
        return net.forward(x, training, 0);
    }

    /** Forward + head + backward, no optimizer. */
    @Benchmark
    public double forwardBackward() {
        INDArray out = net.forward(x, training, 0);
        double loss = net.head().apply(out, classes, null, outputs, dz);
        net.backward(dz, 0);
        return loss;
    }

    /** Fused softmax + cross-entropy on [100, 10] logits: loss, probabilities and dL/dz. */
    @Benchmark
    public double softmaxCrossEntropy() {
        return net.head().apply(logits, classes, null, outputs, logitsGrad);
    }

    /** ND4J's Adam on the flat 269,322-element gradient plus the parameter update (the path the trainer replaced). */
    @Benchmark
    public INDArray adamNd4j() {
        adam.applyUpdater(adamGrads, iteration++, 0);
        return adamParams.subi(adamGrads);
    }

    /** The trainer's fused Adam: moments and parameter update in one vectorized pass. */
    @Benchmark
    public INDArray adamFused() {
        fusedAdamForBench.step(adamParams, adamGrads, fusedAdamState, 0.001, iteration++);
        return adamParams;
    }
}
