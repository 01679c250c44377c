package io.trainserve.engine.nn;

import org.nd4j.linalg.api.rng.Random;

/** Per-call facts a forward pass needs: training mode (dropout, batch statistics) and the run's generator. */
public record ForwardContext(boolean training, Random random) {
    public static final ForwardContext INFERENCE = new ForwardContext(false, null);
}
