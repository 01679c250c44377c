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

    record Event(String id, String name, String data) {
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

    @BeforeEach
    void upload() throws Exception {
        datasetId = Training.upload(mvc, SOFTMAX_CSV);
    }

    @AfterEach
    void releaseRunner() {
        runner.releaseAll();
    }

    @Test
    void epochsArriveInOrderWhileTrainingAndTheStatusEndsTheStream() throws Exception {
        String jobId = submit("live");
        MvcResult stream = open(jobId, null);
        awaitEvent(stream, "progress");
        var epochs = runner.gate("live");
        for (int epoch = 1; epoch <= SteppedRunner.EPOCHS; epoch++) {
            String id = Integer.toString(epoch);
            assertThat(events(stream)).noneMatch(e -> id.equals(e.id()));
            epochs.release();
            Await.until(() -> events(stream).stream().anyMatch(e -> id.equals(e.id())), Duration.ofSeconds(10), "epoch " + epoch);
        }
        List<Event> events = finish(stream);

        assertThat(epochIds(events)).containsExactly("1", "2", "3");
        Event first = events.stream().filter(e -> "epoch".equals(e.name())).findFirst().orElseThrow();
        assertThat((Integer) JsonPath.read(first.data(), "$.epoch")).isEqualTo(1);
        assertThat((Double) JsonPath.read(first.data(), "$.metrics.loss")).isEqualTo(1.0);
        assertThat((String) JsonPath.read(first.data(), "$.status")).isEqualTo("RUNNING");
        assertThat((Double) JsonPath.read(first.data(), "$.learningRate")).isEqualTo(0.01);
        assertThat(JsonPath.<Object>read(first.data(), "$.progress")).isNotNull();
        Event last = events.get(events.size() - 1);
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

        List<Event> all = finish(open(jobId, null));
        assertThat(epochIds(all)).containsExactly("1", "2", "3");
        assertThat(all.get(all.size() - 1).name()).isEqualTo("status");

        List<Event> resumed = finish(open(jobId, "2"));
        assertThat(epochIds(resumed)).containsExactly("3");
        assertThat(resumed.get(resumed.size() - 1).name()).isEqualTo("status");

        List<Event> nothingMissed = finish(open(jobId, "3"));
        assertThat(epochIds(nothingMissed)).isEmpty();
        assertThat(nothingMissed).extracting(Event::name).containsExactly("status");
    }

    @Test
    void resumingMidTrainingSendsOnlyNewerEpochsWithoutGapsOrDuplicates() throws Exception {
        String jobId = submit("resume");
        runner.gate("resume").release();
        MvcResult first = open(jobId, null);
        Await.until(() -> epochIds(events(first)).contains("1"), Duration.ofSeconds(10), "epoch 1 in a stream");
        MvcResult resumed = open(jobId, "1");
        runner.gate("resume").release(2);
        assertThat(epochIds(finish(resumed))).containsExactly("2", "3");
    }

    /** Watchers share the poller: the job row is read once per tick, not once per watcher per tick. */
    @Test
    void manyWatchersGetTheSameEventsFromOneReadPerTick() throws Exception {
        String jobId = submit("crowd");
        List<MvcResult> streams = new ArrayList<>();
        for (int i = 0; i < 40; i++) streams.add(open(jobId, null));
        for (MvcResult s : streams) awaitEvent(s, "progress");
        String metrics = mvc.perform(get("/actuator/prometheus")).andReturn().getResponse().getContentAsString();
        assertThat(metrics).containsPattern("trainserve_event_watchers\\{[^}]*stream=\"job\"[^}]*\\} (4\\d|[5-9]\\d)\\.0");
        long reads = jobReads(jobId);
        long started = System.nanoTime();
        runner.gate("crowd").release(SteppedRunner.EPOCHS);
        List<List<Event>> received = new ArrayList<>();
        for (MvcResult s : streams) received.add(finish(s));
        long ticks = (System.nanoTime() - started) / Duration.ofMillis(250).toNanos() + 2;

        for (List<Event> events : received) {
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

    /**
     * A job that another instance claimed and trains: this instance's scheduler never sees it, only its
     * rows, written here as that instance's worker writes them.
     */
    @Test
    void aJobTrainedByAnotherInstanceIsStreamedFromItsRows() throws Exception {
        String jobId = UUID.randomUUID().toString();
        String spec = JsonPath.parse(spec("elsewhere")).jsonString();
        Instant now = Instant.now();
        jdbc.update("insert into jobs (id, model_id, dataset_id, status, spec_json, created_at, started_at, attempts, cancel_requested, "
                + "epoch, epochs, step, steps_per_epoch, progress, version) values (?, 'elsewhere', ?, 'RUNNING', ?, ?, ?, 1, false, 0, 2, 0, 4, 0, 1)",
                jobId, datasetId, spec, Timestamp.from(now), Timestamp.from(now));
        MvcResult list = openList();
        MvcResult stream = open(jobId, null);
        awaitEvent(stream, "progress");

        writeEpoch(jobId, 1, 0.9);
        Await.until(() -> epochIds(events(stream)).contains("1"), Duration.ofSeconds(10), "epoch 1 written elsewhere");
        writeEpoch(jobId, 2, 0.4);
        jdbc.update("update jobs set status = 'SUCCEEDED', finished_at = ?, progress = 1.0, model_version = 1, version = 2 where id = ?",
                Timestamp.from(Instant.now()), jobId);
        List<Event> events = finish(stream);

        assertThat(epochIds(events)).containsExactly("1", "2");
        assertThat((Double) JsonPath.read(events.get(events.size() - 2).data(), "$.metrics.loss")).isEqualTo(0.4);
        assertThat((String) JsonPath.read(events.get(events.size() - 1).data(), "$.status")).isEqualTo("SUCCEEDED");
        Await.until(() -> events(list).stream().anyMatch(e -> e.data().contains(jobId) && e.data().contains("SUCCEEDED")),
                Duration.ofSeconds(10), "GET /jobs/events to report the other instance's job SUCCEEDED");
    }

    @Test
    void theJobListStreamReportsEachStatusChange() throws Exception {
        MvcResult list = openList();
        String jobId = submit("listed");
        Await.until(() -> statusesOf(list, jobId).contains("RUNNING"), Duration.ofSeconds(10), "RUNNING in GET /jobs/events");
        runner.gate("listed").release(SteppedRunner.EPOCHS);
        Await.until(() -> statusesOf(list, jobId).contains("SUCCEEDED"), Duration.ofSeconds(10), "SUCCEEDED in GET /jobs/events");
        List<String> statuses = statusesOf(list, jobId);
        assertThat(statuses).doesNotHaveDuplicates();
        assertThat(statuses.indexOf("RUNNING")).isLessThan(statuses.indexOf("SUCCEEDED"));
    }

    private List<String> statusesOf(MvcResult list, String jobId) {
        return events(list).stream().filter(e -> "status".equals(e.name()) && jobId.equals(JsonPath.read(e.data(), "$.id")))
                .map(e -> JsonPath.<String>read(e.data(), "$.status")).toList();
    }

    private void writeEpoch(String jobId, int epoch, double loss) {
        Instant now = Instant.now();
        jdbc.update("insert into job_history (job_id, epoch, metrics_json, learning_rate, duration_millis, samples_per_second, created_at) "
                + "values (?, ?, ?, 0.01, 7, 900, ?)", jobId, epoch, "{\"loss\":" + loss + "}", Timestamp.from(now));
        jdbc.update("update jobs set epoch = ?, progress = ?, progress_updated_at = ? where id = ?", epoch, epoch / 2.0,
                Timestamp.from(now), jobId);
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

    private MvcResult open(String jobId, String lastEventId) throws Exception {
        var request = get("/jobs/{id}/events", jobId).accept(MediaType.TEXT_EVENT_STREAM);
        if (lastEventId != null) request.header("Last-Event-ID", lastEventId);
        return mvc.perform(request).andExpect(request().asyncStarted()).andReturn();
    }

    private MvcResult openList() throws Exception {
        return mvc.perform(get("/jobs/events").accept(MediaType.TEXT_EVENT_STREAM)).andExpect(request().asyncStarted()).andReturn();
    }

    private void awaitEvent(MvcResult stream, String name) {
        Await.until(() -> events(stream).stream().anyMatch(e -> name.equals(e.name())), Duration.ofSeconds(10), "a " + name + " event");
    }

    /** Waits for the stream to end, checks the response against the contract, returns its events. */
    private List<Event> finish(MvcResult stream) throws Exception {
        stream.getAsyncResult(Duration.ofSeconds(15).toMillis());
        mvc.perform(asyncDispatch(stream)).andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM))
                .andExpect(Contract.matches());
        return events(stream);
    }

    private static List<String> epochIds(List<Event> events) {
        return events.stream().filter(e -> "epoch".equals(e.name())).map(Event::id).toList();
    }

    /** Parses the text/event-stream written so far (complete events only). */
    static List<Event> events(MvcResult stream) {
        String text;
        try {
            text = stream.getResponse().getContentAsString();
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
        List<Event> events = new ArrayList<>();
        String[] blocks = text.split("\n\n", -1);
        for (int i = 0; i < blocks.length - 1; i++) { // the last block is incomplete or empty
            String id = null, name = null;
            StringBuilder data = new StringBuilder();
            for (String line : blocks[i].split("\n")) {
                if (line.startsWith("id:")) id = line.substring(3).trim();
                else if (line.startsWith("event:")) name = line.substring(6).trim();
                else if (line.startsWith("data:")) data.append(line.substring(5));
            }
            if (name != null) events.add(new Event(id, name, data.toString()));
        }
        return events;
    }
}
