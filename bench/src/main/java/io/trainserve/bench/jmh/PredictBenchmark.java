package io.trainserve.bench.jmh;

import io.trainserve.engine.Model;
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

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * MLP inference through the public API, as the service calls it: raw pixels in, probabilities out
 * ({@code Model.outputs}, which applies the fitted scaling). Goal (issue 3): single row ≤ 20 µs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class PredictBenchmark {
    Model model;
    float[][] rows;
    float[] batch256;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
        model = Fixtures.trainedMlp();
        float[] x = Fixtures.pixels(1024, 11);
        rows = new float[1024][];
        for (int i = 0; i < rows.length; i++) rows[i] = Arrays.copyOfRange(x, i * 784, (i + 1) * 784);
        batch256 = Arrays.copyOf(x, 256 * 784);
    }

    @Benchmark
    public float[] singleRow() {
        next = (next + 1) & 1023;
        return model.outputs(rows[next], 1);
    }

    /** Divide by 256 for the time per sample; samples/s = 256e6 / score. */
    @Benchmark
    public float[] batch256() {
        return model.outputs(batch256, 256);
    }
}
