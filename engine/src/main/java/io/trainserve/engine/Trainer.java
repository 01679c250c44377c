package io.trainserve.engine;

import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.engine.spec.Violation;
import io.trainserve.engine.train.PlanCheck;
import io.trainserve.engine.train.TrainingRun;

import java.util.ArrayList;
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
        return PlanCheck.violations(plan, data);
    }

    /**
     * {@link #check(Plan, DataDescription)} for a stored dataset with {@code target} as its label column:
     * what is wrong with the target (or missing values) comes first, then everything else that can
     * still be checked.
     */
    public static List<Violation> check(Plan plan, DatasetDescription data, String target) {
        DataDescription described;
        try {
            described = data.forTarget(target, plan.predictsClasses(), plan.preprocessing() == null ? null : plan.preprocessing().missing());
        } catch (InvalidSpecException e) {
            List<Violation> v = new ArrayList<>(e.violations());
            PlanCheck.violations(plan, null).stream().filter(x -> !v.contains(x)).forEach(v::add);
            return v;
        }
        return check(plan, described);
    }

    public TrainingResult train(TrainingRequest request) {
        return train(request, TrainingListener.NONE, CheckpointStore.NONE, () -> false);
    }

    public TrainingResult train(TrainingRequest request, TrainingListener listener, CheckpointStore checkpoints,
                                BooleanSupplier cancelled) {
        return new TrainingRun(request, listener, checkpoints, cancelled).run();
    }
}
