package io.trainserve.engine;

/** Progress callbacks from a training run. Called on the training thread: keep them cheap (throttle I/O). */
public interface TrainingListener {
    TrainingListener NONE = new TrainingListener() {
    };

    default void onStart(RunInfo info) {
    }

    /** After every optimizer step. */
    default void onStep(StepProgress progress) {
    }

    /** After every epoch, with training and validation metrics. */
    default void onEpochEnd(EpochMetrics epoch) {
    }

    /**
     * Just before the checkpoint of {@code epoch} is saved: a listener that buffers what it was told
     * must make it durable now, since a resumed run starts after this epoch and will not report it again.
     */
    default void onCheckpoint(int epoch) {
    }

    record RunInfo(int startEpoch, int epochs, int stepsPerEpoch, int batchSize, int trainRows, int validationRows,
                   long trainableParams, String summary) {
    }

    record StepProgress(int epoch, int epochs, int step, int stepsPerEpoch, double loss, double learningRate,
                        double samplesPerSecond) {
        /** Fraction of the whole run done, 0..1. */
        public double progress() {
            return ((epoch - 1) + (double) step / stepsPerEpoch) / epochs;
        }
    }
}
