package io.trainserve.service.training;

import io.trainserve.service.system.ConflictException;

/** A state change the transition table forbids (e.g. cancelling a finished job): 409. */
class IllegalTransitionException extends ConflictException {
    IllegalTransitionException(String jobId, JobStatus from, JobStatus to) {
        super("job-" + from.name().toLowerCase(java.util.Locale.ROOT),
                "job " + jobId + " is " + from + " and cannot become " + to + "; allowed next: " + from.next());
    }
}
