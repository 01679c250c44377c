package io.trainserve.bench.jmh;

import io.trainserve.engine.nn.ForwardContext;
import io.trainserve.engine.nn.NdArrays;
import io.trainserve.engine.nn.Network;
import io.trainserve.engine.nn.NetworkBuilder;
import io.trainserve.engine.train.FusedAdam;
import io.trainserve.engine.train.Optimizers;
import org.nd4j.linalg.api.ndarray.INDArray;
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

import java.util.concurrent.TimeUnit;

/**
 * One training step of the benchmark CNN (conv 32 → pool → conv 64 → pool → dense 10) at batch 100
 * on 28×28 images, as {@code TrainingRun.epoch} drives it: forward, fused softmax-cross-entropy head,
 * backward into the flat gradient, fused Adam. 600 steps are one Fashion-MNIST epoch. Uses engine
 * internals like {@link TrainingKernelsBenchmark}: keep {@link #step()} in line with the trainer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class CnnTrainingBenchmark {
    static final int BATCH = 100;

    Network net;
    INDArray x;
    INDArray dz;
    int[] classes;
    float[] outputs;
    final FusedAdam adam = Optimizers.fusedAdam();
    INDArray adamState;
    ForwardContext training;
    int iteration;

    @Setup(Level.Trial)
    public void setUp() {
        net = NetworkBuilder.build(Fixtures.cnn(), Fixtures.IMAGE, 1);
        float[] pixels = Fixtures.pixels(BATCH, 3);
        for (int i = 0; i < pixels.length; i++) pixels[i] /= 255f;
        x = NdArrays.zeros('c', BATCH, 784); // the trainer's batch input: rows of pixels
        NdArrays.write(pixels, 0, x);
        classes = Fixtures.labels(BATCH, 4);
        outputs = new float[BATCH * 10];
        training = new ForwardContext(true, new java.util.SplittableRandom(5));
        INDArray z = net.forward(x, training, 0);
        dz = NdArrays.zeros(z.ordering(), BATCH, 10);
        IUpdater config = Optimizers.create("adam", 0.001, 0.9);
        adamState = NdArrays.zeros('c', config.stateSize(net.paramCount()));
    }


    /** One full optimizer step as the trainer runs it. */
    @Benchmark
    public double step() {
        INDArray out = net.forward(x, training, 0);
        double loss = net.head().apply(out, classes, null, outputs, dz);
        net.backward(dz, 0);
        adam.step(net.params(), net.grads(), adamState, 0.001, iteration++);
        return loss;
    }

    /** Forward pass only (training mode: pooling records its positions). */
    @Benchmark
    public INDArray forward() {
        return net.forward(x, training, 0);
    }

    /** Inference forward pass at the training batch size. */
    @Benchmark
    public INDArray forwardInference() {
        return net.forward(x, ForwardContext.INFERENCE, 0);
    }
}
