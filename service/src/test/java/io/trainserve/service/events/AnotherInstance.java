package io.trainserve.service.events;

import static io.trainserve.service.events.EventStreams.awaitEvent;
import static io.trainserve.service.events.EventStreams.epochIds;
import static io.trainserve.service.events.EventStreams.events;
import static io.trainserve.service.events.EventStreams.statusesOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.support.Await;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MvcResult;

/**
 * A job that another instance claimed and trains: this instance's scheduler never sees it, only its
 * rows, written here in SQL as that instance's worker writes them. Its streams must follow them.
 */
final class AnotherInstance {
    private final JdbcTemplate jdbc;

    AnotherInstance(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void trainsAJobThatIsStreamedHere(EventStreams streams, String datasetId, String specJson) throws Exception {
        String jobId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        jdbc.update("insert into jobs (id, model_id, dataset_id, status, spec_json, created_at, started_at, attempts, cancel_requested, "
                + "epoch, epochs, step, steps_per_epoch, progress, version) values (?, 'elsewhere', ?, 'RUNNING', ?, ?, ?, 1, false, 0, 2, 0, 4, 0, 1)",
                jobId, datasetId, specJson, Timestamp.from(now), Timestamp.from(now));
        MvcResult list = streams.openList();
        MvcResult stream = streams.open(jobId, null);
        awaitEvent(stream, "progress");

        writeEpoch(jobId, 1, 0.9);
        Await.until(() -> epochIds(events(stream)).contains("1"), Duration.ofSeconds(10), "epoch 1 written elsewhere");
        writeEpoch(jobId, 2, 0.4);
        jdbc.update("update jobs set status = 'SUCCEEDED', finished_at = ?, progress = 1.0, model_version = 1, version = 2 where id = ?",
                Timestamp.from(Instant.now()), jobId);
        List<EventStreams.Event> events = streams.finish(stream);

        assertThat(epochIds(events)).containsExactly("1", "2");
        assertThat((Double) JsonPath.read(events.get(events.size() - 2).data(), "$.metrics.loss")).isEqualTo(0.4);
        assertThat((String) JsonPath.read(events.get(events.size() - 1).data(), "$.status")).isEqualTo("SUCCEEDED");
        Await.until(() -> statusesOf(list, jobId).contains("SUCCEEDED"), Duration.ofSeconds(10),
                "GET /jobs/events to report the other instance's job SUCCEEDED");
    }

    private void writeEpoch(String jobId, int epoch, double loss) {
        Instant now = Instant.now();
        jdbc.update("insert into job_history (job_id, epoch, metrics_json, learning_rate, duration_millis, samples_per_second, created_at) "
                + "values (?, ?, ?, 0.01, 7, 900, ?)", jobId, epoch, "{\"loss\":" + loss + "}", Timestamp.from(now));
        jdbc.update("update jobs set epoch = ?, progress = ?, progress_updated_at = ? where id = ?", epoch, epoch / 2.0,
                Timestamp.from(now), jobId);
    }
}
