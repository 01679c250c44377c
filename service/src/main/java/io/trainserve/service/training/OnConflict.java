package io.trainserve.service.training;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.orm.ObjectOptimisticLockingFailureException;

/**
 * A job row is written by its worker (progress, history, outcome) while users cancel it: an optimistic-lock
 * conflict only means the row moved on, so the action runs again on a fresh read, a few times at most.
 */
final class OnConflict {
    private static final Logger log = LoggerFactory.getLogger(OnConflict.class);
    static final int ATTEMPTS = 5;

    private OnConflict() {
    }

    /** {@code action} must read what it changes itself, so that a retry sees the row as it is now. */
    static <T> T retry(String jobId, Supplier<T> action) {
        for (int attempt = 1; ; attempt++) {
            try {
                return action.get();
            } catch (ObjectOptimisticLockingFailureException e) {
                if (attempt >= ATTEMPTS) throw e;
                log.debug("job {} changed concurrently; retrying", jobId);
            }
        }
    }
}
