package io.trainserve.service.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import io.trainserve.service.support.Await;
import io.trainserve.service.support.Postgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two db-scheduler instances (the application's and a second one built here, as another service
 * instance would) poll one PostgreSQL with lock-and-fetch: every job is run exactly once, both schedulers run
 * jobs, and each job names the scheduler (instance) that ran it as its {@code worker}.
 */
@SpringBootTest(properties = {
        "trainserve.data-dir=${java.io.tmpdir}/trainserve-test-${random.uuid}",
        "trainserve.jobs.concurrency=2",
        "db-scheduler.polling-strategy=lock_and_fetch",
        "db-scheduler.polling-interval=100ms",
        "db-scheduler.scheduler-name=instance-a",
        "trainserve.instance-id=instance-a"})
@Import(TwoSchedulersPostgresTest.Runner.class)
class TwoSchedulersPostgresTest {
    static final int JOBS = 30;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry);
    }

    /**
     * Counts runs per job and the workers that ran them. Each run holds its thread until both schedulers have
     * started a job (or 30 s pass), so one fast scheduler cannot take every job before the other polls.
     */
    static class CountingRunner implements JobRunner {
        final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        final Set<String> workers = ConcurrentHashMap.newKeySet();
        final CountDownLatch allRan = new CountDownLatch(JOBS);
        final CountDownLatch bothWorking = new CountDownLatch(1);
        @Autowired
        JobRepository jobs;

        @Override
        public JobOutcome run(JobRun run) {
            runs.computeIfAbsent(run.jobId(), k -> new AtomicInteger()).incrementAndGet();
            workers.add(jobs.findById(run.jobId()).orElseThrow().worker());
            if (workers.size() >= 2) bothWorking.countDown();
            try {
                bothWorking.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            allRan.countDown();
            return JobOutcome.succeeded(1, false, 1, null);
        }
    }

    @TestConfiguration
    static class Runner {
        @Bean
        @org.springframework.context.annotation.Primary // stands in for the engine-backed runner
        CountingRunner countingRunner() {
            return new CountingRunner();
        }
    }

    @Autowired
    CountingRunner runner;
    @Autowired
    SchedulerClient schedulerClient;
    @Autowired
    OneTimeTask<String> trainJobTask;
    @Autowired
    DataSource dataSource;
    @Autowired
    JobRepository jobs;
    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void everyJobRunsExactlyOnce() throws Exception {
        Scheduler second = Scheduler.create(dataSource, trainJobTask)
                .schedulerName(new SchedulerName.Fixed("instance-b"))
                .threads(2)
                .pollingInterval(Duration.ofMillis(100))
                .pollUsingLockAndFetch(0.5, 1.0)
                .build();
        second.start();
        try {
            TransactionTemplate tx = new TransactionTemplate(transactions);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                JobSpec spec = new JobSpec("m", "d", "label", null, null, null, null, null, null);
                tx.executeWithoutResult(s -> {
                    jobs.saveAndFlush(new Job(id, spec, "{\"modelId\":\"m\",\"datasetId\":\"d\"}", Instant.now()));
                    schedulerClient.schedule(trainJobTask.instance(id, id), Instant.now());
                });
            }
            assertThat(runner.allRan.await(60, TimeUnit.SECONDS)).as("all jobs ran").isTrue();
            Await.until(() -> ids.stream().allMatch(id -> jobs.findById(id).orElseThrow().status() == JobStatus.SUCCEEDED),
                    Duration.ofSeconds(30), "all jobs SUCCEEDED");
            Await.until(() -> schedulerClient.getScheduledExecutions().isEmpty(), Duration.ofSeconds(30), "no executions left");
            assertThat(runner.runs).hasSize(JOBS);
            assertThat(runner.runs.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
            assertThat(runner.workers).as("schedulers that ran jobs").containsExactlyInAnyOrder("instance-a", "instance-b");
            assertThat(ids.stream().map(id -> jobs.findById(id).orElseThrow().worker()).distinct())
                    .as("worker recorded on the jobs").containsExactlyInAnyOrder("instance-a", "instance-b");
        } finally {
            second.stop();
        }
    }
}
