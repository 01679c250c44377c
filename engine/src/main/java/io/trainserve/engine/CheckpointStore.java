package io.trainserve.engine;

/** Where the engine puts the checkpoint written after every epoch (for resume after a crash or cancel). */
public interface CheckpointStore {
    CheckpointStore NONE = checkpoint -> {
    };

    void save(Checkpoint checkpoint);
}
