package io.trainserve.engine;

import io.trainserve.engine.train.TrainingRun;

import java.util.function.BooleanSupplier;

/**
 * Trains a network from a {@link TrainingRequest}: validates the spec against the data (throwing
 * {@link io.trainserve.engine.spec.InvalidSpecException} with every violation before any work),
 * fits the scaling on the training split, runs the epochs with the Keras callbacks, writes an
 * epoch checkpoint through the {@link CheckpointStore} and reports progress to the listener.
 */
public final class Trainer {
    static {
        NativeRuntime.prepare(); // before ND4J loads its OpenMP runtime
    }


    public TrainingResult train(TrainingRequest request) {
        return train(request, TrainingListener.NONE, CheckpointStore.NONE, () -> false);
    }

    public TrainingResult train(TrainingRequest request, TrainingListener listener, CheckpointStore checkpoints,
                                BooleanSupplier cancelled) {
        return new TrainingRun(request, listener, checkpoints, cancelled).run();
    }
}
