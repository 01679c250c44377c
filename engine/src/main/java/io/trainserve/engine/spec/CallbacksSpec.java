package io.trainserve.engine.spec;

public record CallbacksSpec(EarlyStoppingSpec earlyStopping, ModelCheckpointSpec modelCheckpoint,
                            ReduceLrOnPlateauSpec reduceLrOnPlateau) {
    public static final CallbacksSpec NONE = new CallbacksSpec(null, null, null);
}
