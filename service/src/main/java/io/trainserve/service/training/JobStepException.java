package io.trainserve.service.training;

import io.trainserve.engine.InvalidDataException;
import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.service.dataset.CorruptDatasetException;
import java.util.function.Supplier;

/**
 * An unexpected failure in one step of running a job ("loading the training data", "training", ...).
 * The job's error message names the step, never the cause's class or message (which may hold paths):
 * those go to the log. Problems with the spec or the data pass through unwrapped.
 */
class JobStepException extends RuntimeException {
    private final String step;

    JobStepException(String step, RuntimeException cause) {
        super("failed while " + step, cause);
        this.step = step;
    }

    String step() {
        return step;
    }

    static <T> T during(String step, Supplier<T> action) {
        try {
            return action.get();
        } catch (InvalidSpecException | InvalidDataException | CorruptDatasetException | JobStepException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new JobStepException(step, e);
        }
    }

    static void during(String step, Runnable action) {
        during(step, () -> {
            action.run();
            return null;
        });
    }
}
