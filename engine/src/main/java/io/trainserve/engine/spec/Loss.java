package io.trainserve.engine.spec;

import java.util.Optional;

/** The losses a model may train with, each with the task it implies. */
public enum Loss implements Vocabulary.Word {
    MSE("mse", Task.REGRESSION),
    MAE("mae", Task.REGRESSION),
    BINARY_CROSSENTROPY("binary_crossentropy", Task.BINARY),
    CATEGORICAL_CROSSENTROPY("categorical_crossentropy", Task.CLASSIFICATION),
    SPARSE_CATEGORICAL_CROSSENTROPY("sparse_categorical_crossentropy", Task.CLASSIFICATION);

    /** What the output layer predicts. */
    public enum Task {
        /** one of several classes (a softmax output) */
        CLASSIFICATION,
        /** one of two classes, or several independent 0/1 labels (sigmoid outputs) */
        BINARY,
        /** real values (mse, mae) */
        REGRESSION;

        /** True when the target holds class labels rather than real values. */
        public boolean classes() {
            return this != REGRESSION;
        }
    }

    private final String wire;
    private final Task task;

    Loss(String wire, Task task) {
        this.wire = wire;
        this.task = task;
    }

    @Override
    public String wire() {
        return wire;
    }

    public Task task() {
        return task;
    }

    public static Optional<Loss> parse(String wire) {
        return Vocabulary.parse(Loss.class, wire);
    }

    /**
     * The one answer to "is this classification?": whether a model trained with {@code loss} predicts
     * class labels. An unknown or missing loss (reported elsewhere) counts as classification.
     */
    public static boolean predictsClasses(String loss) {
        return parse(loss).map(l -> l.task().classes()).orElse(true);
    }
}
