package io.trainserve.engine;

import io.trainserve.engine.spec.TargetSpec;
import io.trainserve.engine.spec.Violation;

import java.util.List;

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


    /**
     * The one check of a plan: everything wrong with training {@code plan} on data described by
     * {@code data}, each violation naming the field, what was given and what is allowed (empty when
     * the plan can run). {@link #train} runs the same check on the actual rows before any work.
     */
    public static List<Violation> check(Plan plan, DataDescription data) {
        return Backend.INSTANCE.check(plan, data);
    }

    /**
     * {@link #check(Plan, DataDescription)} for a stored dataset with {@code target} as its label column:
     * what is wrong with the target (or missing values) comes first, then everything else that can
     * still be checked.
     */
    public static List<Violation> check(Plan plan, DatasetDescription data, String target) {
        return check(plan, data, target == null ? null : TargetSpec.column(target));
    }

    /**
     * {@link #check(Plan, DatasetDescription, String)} for a job's {@code target}: one column, or a list
     * of 0/1 columns (multi-label); null for an image dataset's labels.
     */
    public static List<Violation> check(Plan plan, DatasetDescription data, TargetSpec target) {
        return Backend.INSTANCE.check(plan, data, target);
    }

    /**
     * Whether {@code plan} trained on column {@code target} of {@code data} predicts classes: as its loss
     * says, except that binary_crossentropy on a numeric column that is not all whole numbers is a 0-1
     * regression (the values are the probabilities to learn; they must lie in [0, 1]).
     */
    public static boolean predictsClasses(Plan plan, DatasetDescription data, String target) {
        return plan.predictsClasses() && !(plan.binaryCrossEntropy() && target != null && data.fractional(target));
    }

    /**
     * Loads ND4J and its native libraries and runs the training and predict paths once on a few rows,
     * so that a service's first job does not pay for it (~3 s of native start-up). Idempotent.
     */
    public static void warmUp() {
        if (warm) return;
        synchronized (Trainer.class) {
            if (warm) return;
            float[] x = {0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1};
            int[] y = {0, 1, 1, 0, 0, 1, 1, 0};
            Dataset data = new Dataset(x, 8, InputSchema.numeric(java.util.List.of("a", "b")),
                    new Target.Classes("y", y, java.util.List.of("0", "1")), "warm-up");
            for (String optimizer : new String[]{"sgd", "adam"}) {
                TrainingResult r = new Trainer().train(TrainingRequest.of(data,
                        io.trainserve.engine.spec.ModelSpec.of("sparse_categorical_crossentropy",
                                io.trainserve.engine.spec.LayerSpec.dense(4, "tanh"), io.trainserve.engine.spec.LayerSpec.dense(2, "softmax")),
                        io.trainserve.engine.spec.TrainingSpec.of(optimizer, 0.1, 20, 8, 1)));
                r.model().predict(new float[]{0, 1}, 1);
            }
            warm = true;
        }
    }

    private static volatile boolean warm;

    public TrainingResult train(TrainingRequest request) {
        return train(request, TrainingListener.NONE, CheckpointStore.NONE, () -> false);
    }

    public TrainingResult train(TrainingRequest request, TrainingListener listener, CheckpointStore checkpoints,
                                BooleanSupplier cancelled) {
        return Backend.INSTANCE.train(request, listener, checkpoints, cancelled);
    }
}
