package io.trainserve.service.training;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.time.Instant;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The db-scheduler task that trains a job: one execution per job id (the task instance id), claimed
 * by exactly one scheduler even with several instances on one database. A worker that stops
 * heart-beating is detected and its execution revived, so another instance resumes the job; a job stopped
 * by this instance's shutdown is rescheduled at once, so another instance resumes it. The worker recorded
 * on the job is the scheduler's name, i.e. {@code trainserve.instance-id}.
 */
@Configuration(proxyBeanMethods = false)
class TrainJobTaskConfig {
    static final String TASK = "train-job";

    @Bean
    OneTimeTask<String> trainJobTask(JobWorker worker) {
        return Tasks.oneTime(TASK, String.class)
                .onDeadExecutionRevive()
                // only a job handed back at shutdown ends in an exception (the worker records every other failure)
                .onFailure((complete, operations) -> operations.reschedule(complete, Instant.now()))
                .execute((instance, context) -> worker.execute(instance.getData(), context.getExecution().pickedBy,
                        () -> context.getSchedulerState().isShuttingDown()));
    }
}
