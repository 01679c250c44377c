package io.trainserve.engine.nn;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Keras weight initializers, drawn from a seeded Java generator so that the same seed gives the
 * same network on every machine and thread count (ND4J's global RNG is shared across threads).
 */
public final class Initializers {
    public static final List<String> NAMES = io.trainserve.engine.spec.Vocabulary.names(io.trainserve.engine.spec.Init.class);

    private Initializers() {
    }

    public static void fill(String name, float[] w, int fanIn, int fanOut, SplittableRandom rng) {
        switch (name == null ? "xavier" : name) {
            case "xavier" -> { // glorot_uniform
                double limit = Math.sqrt(6.0 / (fanIn + fanOut));
                for (int i = 0; i < w.length; i++) w[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
            }
            case "he" -> { // he_normal, as in the lecture notes: randn / sqrt(fan_in / 2)
                double std = Math.sqrt(2.0 / fanIn);
                for (int i = 0; i < w.length; i++) w[i] = (float) (gaussian(rng) * std);
            }
            case "normal" -> { // Keras RandomNormal(stddev=0.05)
                for (int i = 0; i < w.length; i++) w[i] = (float) (gaussian(rng) * 0.05);
            }
            case "uniform" -> { // Keras RandomUniform(-0.05, 0.05)
                for (int i = 0; i < w.length; i++) w[i] = (float) ((rng.nextDouble() * 2 - 1) * 0.05);
            }
            case "zeros" -> java.util.Arrays.fill(w, 0f);
            default -> throw new IllegalArgumentException("unknown init " + name);
        }
    }

    static double gaussian(SplittableRandom rng) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
