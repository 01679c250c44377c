package io.trainserve.engine.nn;

import java.util.SplittableRandom;

/**
 * Per-call facts a forward pass needs: training mode (dropout, batch statistics) and the run's
 * generator for dropout masks (null when no layer draws from it). A plain Java generator: the
 * masks are drawn in Java loops, and a run seeds it from (seed, epoch) so a resumed run repeats them.
 */
public record ForwardContext(boolean training, SplittableRandom random) {
    public static final ForwardContext INFERENCE = new ForwardContext(false, null);
}
