package io.trainserve.service.training;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The db-scheduler task that trains a job: one execution per job id (the task instance id), claimed
 * by exactly one scheduler even with several instances on one database. A worker that stops
 * heart-beating is detected and its execution revived, so another instance resumes the job.
 */
@Configuration(proxyBeanMethods = false)
class TrainJobTaskConfig {
    static final String TASK = "train-job";

    @Bean
    OneTimeTask<String> trainJobTask(JobWorker worker) {
        return Tasks.oneTime(TASK, String.class)
                .onDeadExecutionRevive()
                .execute((instance, context) -> worker.execute(instance.getData()));
    }
}
