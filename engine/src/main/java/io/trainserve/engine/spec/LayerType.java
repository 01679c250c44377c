package io.trainserve.engine.spec;

/** The layer types of a sequential model. */
public enum LayerType implements Vocabulary.Word {
    DENSE, DROPOUT, BATCH_NORM, FLATTEN, CONV2D, MAX_POOL2D, LSTM, GRU, EMBEDDING, GLOBAL_AVERAGE_POOLING1D;

    @Override
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
