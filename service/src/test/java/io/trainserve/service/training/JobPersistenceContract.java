package io.trainserve.service.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trainserve.service.system.ConflictException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jpa.test.autoconfigure.TestEntityManager;
import org.springframework.orm.ObjectOptimisticLockingFailureException;

/**
 * Job persistence as every database must behave (run on H2 and PostgreSQL by the subclasses):
 * Flyway schema, intent methods and the transition table, optimistic locking, progress updates
 * that bypass the version, history rows, the dataset-in-use query.
 */
@DataJpaTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ImportAutoConfiguration(FlywayAutoConfiguration.class)
abstract class JobPersistenceContract {
    @Autowired
    JobRepository jobs;
    @Autowired
    JobEpochRepository history;
    @Autowired
    TestEntityManager em;

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    Job newJob(String datasetId) {
        JobSpec spec = new JobSpec("m", datasetId, "label", new JobSpec.Validation(null, "val-" + datasetId), null, null, null, null, null);
        return new Job(UUID.randomUUID().toString(), spec, "{}", T0);
    }

    @Test
    void lifecycleThroughIntentMethods() {
        Job job = jobs.saveAndFlush(newJob("d1"));
        job.start(T0.plusSeconds(1));
        jobs.saveAndFlush(job);
        job.succeed(T0.plusSeconds(9), 2, true, 7, "{\"accuracy\":0.9}");
        jobs.saveAndFlush(job);
        em.clear();
        Job read = jobs.findById(job.id()).orElseThrow();
        assertThat(read.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(read.startedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(read.finishedAt()).isEqualTo(T0.plusSeconds(9));
        assertThat(read.modelVersion()).isEqualTo(2);
        assertThat(read.bestEpoch()).isEqualTo(7);
        assertThat(read.attempts()).isEqualTo(1);
        assertThatThrownBy(() -> read.cancel(T0)).isInstanceOf(ConflictException.class).hasMessageContaining("SUCCEEDED");
    }

    @Test
    void concurrentChangesAreDetected() {
        Job job = jobs.saveAndFlush(newJob("d2"));
        em.clear();
        Job stale = jobs.findById(job.id()).orElseThrow();
        em.detach(stale);
        Job fresh = jobs.findById(job.id()).orElseThrow();
        fresh.start(T0);
        jobs.saveAndFlush(fresh);
        stale.cancel(T0);
        assertThatThrownBy(() -> jobs.saveAndFlush(stale)).isInstanceOf(ObjectOptimisticLockingFailureException.class);
    }

    @Test
    void progressUpdatesDoNotBumpTheVersion() {
        Job job = jobs.saveAndFlush(newJob("d3"));
        job.start(T0);
        jobs.saveAndFlush(job);
        long version = job.version();
        assertThat(jobs.updateProgress(job.id(), 2, 5, 3, 10, 0.26, 12.5, 0.001, T0)).isEqualTo(1);
        em.clear();
        Job read = jobs.findById(job.id()).orElseThrow();
        assertThat(read.version()).isEqualTo(version);
        assertThat(read.epoch()).isEqualTo(2);
        assertThat(read.progress()).isEqualTo(0.26);
        assertThat(read.etaSeconds()).isEqualTo(12.5);
    }

    @Test
    void historyRowsInEpochOrder() {
        Job job = jobs.saveAndFlush(newJob("d4"));
        history.save(new JobEpoch(job.id(), 2, "{\"loss\":0.5}", 0.01, 20, 100, T0));
        history.save(new JobEpoch(job.id(), 1, "{\"loss\":0.9}", 0.01, 30, 90, T0));
        history.flush();
        em.clear();
        assertThat(history.findByJobIdOrderByEpoch(job.id())).extracting(JobEpoch::epoch).containsExactly(1, 2);
    }

    @Test
    void datasetInUseOnlyWhileQueuedOrRunning() {
        Job job = jobs.saveAndFlush(newJob("d5"));
        var active = EnumSet.of(JobStatus.QUEUED, JobStatus.RUNNING);
        assertThat(jobs.usesDataset("d5", active)).isTrue();
        assertThat(jobs.usesDataset("val-d5", active)).isTrue();
        assertThat(jobs.usesDataset("other", active)).isFalse();
        job.cancel(T0);
        jobs.saveAndFlush(job);
        assertThat(jobs.usesDataset("d5", active)).isFalse();
    }
}
