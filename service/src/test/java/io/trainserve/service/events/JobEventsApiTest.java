package io.trainserve.service.events;

import static io.trainserve.service.support.TestFiles.SOFTMAX_CSV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import static io.trainserve.service.events.EventStreams.awaitEvent;
import static io.trainserve.service.events.EventStreams.epochIds;
import static io.trainserve.service.events.EventStreams.events;
import static io.trainserve.service.events.EventStreams.statusesOf;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.support.ApiTest;
import io.trainserve.service.support.Await;
import io.trainserve.service.support.Contract;
import io.trainserve.service.support.Training;
import io.trainserve.service.training.JobFeed;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.servlet.MvcResult;
import org.mockito.Mockito;

/** The job event streams through HTTP: order, terminal event, late join, Last-Event-ID, 404, another instance's job. */
@ApiTest
@Import(JobEventsApiTest.Runner.class)
class JobEventsApiTest {
    @TestConfiguration
    static class Runner {
        @Bean
        @Primary // stands in for the engine-backed runner
        SteppedRunner steppedRunner() {
            return new SteppedRunner();
        }
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    SteppedRunner runner;
    @Autowired
    JdbcTemplate jdbc;
    @MockitoSpyBean
    JobFeed feed;

    String datasetId;
    EventStreams streams;

    @BeforeEach
    void upload() throws Exception {
        streams = new EventStreams(mvc);
        datasetId = Training.upload(mvc, SOFTMAX_CSV);
    }

    @AfterEach
    void releaseRunner() {
        runner.releaseAll();
    }

    @Test
    void epochsArriveInOrderWhileTrainingAndTheStatusEndsTheStream() throws Exception {
        String jobId = submit("live");
        MvcResult stream = streams.open(jobId, null);
        awaitEvent(stream, "progress");
        var epochs = runner.gate("live");
        for (int epoch = 1; epoch <= SteppedRunner.EPOCHS; epoch++) {
            String id = Integer.toString(epoch);
            assertThat(events(stream)).noneMatch(e -> id.equals(e.id()));
            epochs.release();
            Await.until(() -> events(stream).stream().anyMatch(e -> id.equals(e.id())), Duration.ofSeconds(10), "epoch " + epoch);
        }
        List<EventStreams.Event> events = streams.finish(stream);

        assertThat(epochIds(events)).containsExactly("1", "2", "3");
        EventStreams.Event first = events.stream().filter(e -> "epoch".equals(e.name())).findFirst().orElseThrow();
        assertThat((Integer) JsonPath.read(first.data(), "$.epoch")).isEqualTo(1);
        assertThat((Double) JsonPath.read(first.data(), "$.metrics.loss")).isEqualTo(1.0);
        assertThat((String) JsonPath.read(first.data(), "$.status")).isEqualTo("RUNNING");
        assertThat((Double) JsonPath.read(first.data(), "$.learningRate")).isEqualTo(0.01);
        assertThat(JsonPath.<Object>read(first.data(), "$.progress")).isNotNull();
        EventStreams.Event last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("status");
        assertThat((String) JsonPath.read(last.data(), "$.status")).isEqualTo("SUCCEEDED");
        assertThat((Integer) JsonPath.read(last.data(), "$.modelVersion")).isEqualTo(1);
        assertThat(events.stream().filter(e -> "status".equals(e.name()))).hasSize(1);
        assertThat(events).filteredOn(e -> "progress".equals(e.name())).isNotEmpty()
                .allSatisfy(e -> assertThat((String) JsonPath.read(e.data(), "$.status")).isIn("QUEUED", "RUNNING"));
    }

    @Test
    void aLateWatcherGetsTheEpochsSoFarAndLastEventIdResumesAfterIt() throws Exception {
        String jobId = submit("late");
        runner.gate("late").release(SteppedRunner.EPOCHS);
        awaitStatus(jobId, "SUCCEEDED");

        List<EventStreams.Event> all = streams.finish(streams.open(jobId, null));
        assertThat(epochIds(all)).containsExactly("1", "2", "3");
        assertThat(all.get(all.size() - 1).name()).isEqualTo("status");

        List<EventStreams.Event> resumed = streams.finish(streams.open(jobId, "2"));
        assertThat(epochIds(resumed)).containsExactly("3");
        assertThat(resumed.get(resumed.size() - 1).name()).isEqualTo("status");

        List<EventStreams.Event> nothingMissed = streams.finish(streams.open(jobId, "3"));
        assertThat(epochIds(nothingMissed)).isEmpty();
        assertThat(nothingMissed).extracting(EventStreams.Event::name).containsExactly("status");
    }

    @Test
    void resumingMidTrainingSendsOnlyNewerEpochsWithoutGapsOrDuplicates() throws Exception {
        String jobId = submit("resume");
        runner.gate("resume").release();
        MvcResult first = streams.open(jobId, null);
        Await.until(() -> epochIds(events(first)).contains("1"), Duration.ofSeconds(10), "epoch 1 in a stream");
        MvcResult resumed = streams.open(jobId, "1");
        runner.gate("resume").release(2);
        assertThat(epochIds(streams.finish(resumed))).containsExactly("2", "3");
    }

    /** Watchers share the poller: the job row is read once per tick, not once per watcher per tick. */
    @Test
    void manyWatchersGetTheSameEventsFromOneReadPerTick() throws Exception {
        String jobId = submit("crowd");
        List<MvcResult> crowd = new ArrayList<>();
        for (int i = 0; i < 40; i++) crowd.add(streams.open(jobId, null));
        for (MvcResult s : crowd) awaitEvent(s, "progress");
        String metrics = mvc.perform(get("/actuator/prometheus")).andReturn().getResponse().getContentAsString();
        assertThat(metrics).containsPattern("trainserve_event_watchers\\{[^}]*stream=\"job\"[^}]*\\} (4\\d|[5-9]\\d)\\.0");
        long reads = jobReads(jobId);
        long started = System.nanoTime();
        runner.gate("crowd").release(SteppedRunner.EPOCHS);
        List<List<EventStreams.Event>> received = new ArrayList<>();
        for (MvcResult s : crowd) received.add(streams.finish(s));
        long ticks = (System.nanoTime() - started) / Duration.ofMillis(250).toNanos() + 2;

        for (List<EventStreams.Event> events : received) {
            assertThat(epochIds(events)).containsExactly("1", "2", "3");
            assertThat(events.get(events.size() - 1).name()).isEqualTo("status");
        }
        assertThat(jobReads(jobId) - reads).as("job reads for 40 watchers over at most %d ticks", ticks).isLessThanOrEqualTo(ticks);
    }

    private long jobReads(String jobId) {
        return Mockito.mockingDetails(feed).getInvocations().stream()
                .filter(i -> i.getMethod().getName().equals("job") && jobId.equals(i.getArgument(0))).count();
    }

    @Test
    void anUnknownJobIsA404Problem() throws Exception {
        mvc.perform(get("/jobs/{id}/events", "no-such-job").accept(MediaType.TEXT_EVENT_STREAM))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("not-found"))
                .andExpect(jsonPath("$.resource").value("job"))
                .andExpect(Contract.responseMatches());
    }

    @Test
    void aBadLastEventIdIsA400NamingTheHeader() throws Exception {
        String jobId = submit("bad-id");
        mvc.perform(get("/jobs/{id}/events", jobId).accept(MediaType.TEXT_EVENT_STREAM).header("Last-Event-ID", "two"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.field").value("Last-Event-ID"))
                .andExpect(jsonPath("$.given").value("two"))
                .andExpect(Contract.responseMatches());
    }

    @Test
    void aJobTrainedByAnotherInstanceIsStreamedFromItsRows() throws Exception {
        new AnotherInstance(jdbc).trainsAJobThatIsStreamedHere(streams, datasetId, JsonPath.parse(spec("elsewhere")).jsonString());
    }

    @Test
    void theJobListStreamReportsEachStatusChange() throws Exception {
        MvcResult list = streams.openList();
        String jobId = submit("listed");
        Await.until(() -> statusesOf(list, jobId).contains("RUNNING"), Duration.ofSeconds(10), "RUNNING in GET /jobs/events");
        runner.gate("listed").release(SteppedRunner.EPOCHS);
        Await.until(() -> statusesOf(list, jobId).contains("SUCCEEDED"), Duration.ofSeconds(10), "SUCCEEDED in GET /jobs/events");
        List<String> statuses = statusesOf(list, jobId);
        assertThat(statuses).doesNotHaveDuplicates();
        assertThat(statuses.indexOf("RUNNING")).isLessThan(statuses.indexOf("SUCCEEDED"));
    }

    private String spec(String modelId) {
        return """
                {"modelId": "%s", "datasetId": "%s", "target": "label",
                 "model": {"layers": [{"type": "dense", "units": 3, "activation": "softmax"}], "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "sgd", "learningRate": 0.01, "epochs": 3, "batchSize": 4, "seed": 1}}
                """.formatted(modelId, datasetId);
    }

    private String submit(String modelId) throws Exception {
        String body = mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(spec(modelId)))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        return JsonPath.read(body, "$.id");
    }

    private void awaitStatus(String jobId, String status) {
        Await.until(() -> {
            try {
                return status.equals(JsonPath.read(mvc.perform(get("/jobs/{id}", jobId)).andReturn().getResponse().getContentAsString(),
                        "$.status"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Duration.ofSeconds(10), "job " + status);
    }

}
