package io.trainserve.engine;

/** Where the engine puts epoch checkpoints (for resume after a crash or cancel). */
public interface CheckpointStore {
    CheckpointStore NONE = new CheckpointStore() {
        @Override
        public boolean wants(int epoch, boolean last) {
            return false;
        }

        @Override
        public void save(Checkpoint checkpoint) {
        }
    };

    /**
     * Whether to build and save a checkpoint after this epoch. Default: every epoch. A store may
     * thin them out (e.g. tiny models running thousands of epochs a second); a resumed run then
     * starts after the last one saved.
     */
    default boolean wants(int epoch, boolean last) {
        return true;
    }

    void save(Checkpoint checkpoint);
}
