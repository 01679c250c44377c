package io.trainserve.engine;

/** How a training run ended. */
public enum Outcome {
    /** Ran all epochs or was stopped early by EarlyStopping; a model was produced. */
    SUCCEEDED,
    /** The loss became NaN/Inf or exploded; no model. */
    DIVERGED,
    /** Cancelled by the caller; the last epoch checkpoint (if any) was kept. */
    CANCELLED
}
