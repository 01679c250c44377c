package io.trainserve.bench;

import java.util.Arrays;

/**
 * The tail a machine puts on any short computation. A plain-Java loop over data in L1 (no
 * allocation, no native calls, nothing the engine could do better) is sized to take the engine's
 * median predict time and timed as many times as the predicts were. Its p99 is what the machine
 * adds on its own: on a virtual machine, interrupts and preemptions of the vCPU. On one such
 * machine a 12 µs loop had a p99 of 52 µs, a 7 µs loop 33 µs and a 4 µs loop 4 µs.
 */
final class JitterFloor {
    private static final int WIDTH = 512;
    private final float[] x = new float[WIDTH], w = new float[WIDTH];
    private double sink;

    JitterFloor() {
        for (int i = 0; i < WIDTH; i++) {
            x[i] = (i % 3) * 0.5f;
            w[i] = (i % 7) * 0.01f;
        }
    }

    /** Latencies in µs, sorted, of {@code calls} runs of a loop whose median is about {@code targetMicros}. */
    double[] latencies(double targetMicros, int calls) {
        int reps = calibrate(targetMicros);
        double[] lat = new double[calls];
        for (int c = 0; c < calls; c++) {
            long t0 = System.nanoTime();
            sink += work(reps);
            lat[c] = (System.nanoTime() - t0) / 1e3;
        }
        Arrays.sort(lat);
        return lat;
    }

    /** Repetitions of the dot product that take about the target, from the median of short runs once compiled. */
    private int calibrate(double targetMicros) {
        for (int i = 0; i < 20_000; i++) sink += work(4); // compiled before it is timed
        double[] t = new double[201];
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            sink += work(64);
            t[i] = (System.nanoTime() - t0) / 1e3 / 64;
        }
        Arrays.sort(t);
        return (int) Math.max(1, Math.round(targetMicros / t[t.length / 2]));
    }

    private float work(int reps) {
        float s = 0;
        for (int r = 0; r < reps; r++) {
            float acc = 0;
            for (int i = 0; i < WIDTH; i++) acc += x[i] * w[(i + r) & (WIDTH - 1)];
            s += acc;
        }
        return s;
    }

    /** Keeps the loops' results alive. */
    double sink() {
        return sink;
    }
}
