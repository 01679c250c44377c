package io.trainserve.service.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.support.ApiTest;
import io.trainserve.service.support.Await;
import io.trainserve.service.support.Contract;
import io.trainserve.service.support.Training;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Sweeps through HTTP on real (tiny) training runs: the notes' 8-row softmax. */
@ApiTest
class SweepApiTest {
    static final Set<String> ENDED = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    @Autowired
    MockMvc mvc;
    @Autowired
    SweepDriver driver;
    @Autowired
    SweepRepository sweeps;
    @Autowired
    SweepStepper stepper;
    String datasetId;

    @BeforeEach
    void upload() throws Exception {
        datasetId = Training.upload(mvc, Files.readString(Path.of("..", "examples", "softmax8.csv")));
    }

    /** The notes' softmax job with SGD (a quarter held out), without modelId; {@code training} is spliced in. */
    String job(String training) {
        return notesJob(datasetId, training);
    }

    static String notesJob(String datasetId, String training) {
        return """
                {"datasetId": "%s", "target": "y", "validation": {"split": 0.25},
                 "preprocessing": {"scaling": "minmax"},
                 "model": {"layers": [{"type": "dense", "units": 3, "activation": "softmax"}], "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "sgd", "batchSize": 8, "seed": 1, %s}}""".formatted(datasetId, training);
    }

    ResultActions postSweep(String body) throws Exception {
        return mvc.perform(post("/sweeps").contentType(MediaType.APPLICATION_JSON).content(body));
    }

    String submit(String body) throws Exception {
        String sweep = postSweep(body).andExpect(Contract.matches()).andExpect(status().isAccepted())
                .andReturn().getResponse().getContentAsString();
        return JsonPath.read(sweep, "$.id");
    }

    String body(MockHttpServletRequestBuilder request) {
        try {
            return mvc.perform(request).andReturn().getResponse().getContentAsString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sweep once it ended, checked against the contract. */
    String ended(String id) throws Exception {
        Await.until(() -> ENDED.contains(JsonPath.<String>read(body(get("/sweeps/{id}", id)), "$.status")), Duration.ofSeconds(120),
                "sweep " + id + " to end");
        return mvc.perform(get("/sweeps/{id}", id)).andExpect(Contract.matches()).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
    }

    static Map<String, Object> trialWith(String sweep, String path, double value) {
        List<Map<String, Object>> trials = JsonPath.read(sweep, "$.trials");
        return trials.stream().filter(t -> ((Number) ((Map<?, ?>) t.get("parameters")).get(path)).doubleValue() == value).findFirst()
                .orElseThrow(() -> new AssertionError("no trial with " + path + " = " + value + " in " + sweep));
    }

    @Test
    void gridOverTheNotesLearningRatesPublishesTheBestModel() throws Exception {
        String id = submit("""
                {"modelId": "notes-sweep", "job": %s,
                 "parameters": {"training.learningRate": {"values": [1e5, 1e-10, 0.1]}},
                 "strategy": {"type": "grid"}, "objective": {"metric": "loss", "goal": "minimize"}}""".formatted(job("\"epochs\": 20")));
        String sweep = ended(id);

        assertThat(JsonPath.<String>read(sweep, "$.status")).as(sweep).isEqualTo("SUCCEEDED");
        assertThat(JsonPath.<List<Object>>read(sweep, "$.trials")).hasSize(3);
        assertThat(JsonPath.<Double>read(sweep, "$.best.parameters['training.learningRate']")).isEqualTo(0.1);
        assertThat(JsonPath.<Double>read(sweep, "$.best.metrics.loss")).isEqualTo(JsonPath.<Double>read(sweep, "$.best.objectiveValue"));
        Map<String, Object> diverged = trialWith(sweep, "training.learningRate", 1e5);
        assertThat(diverged.get("status")).isEqualTo("FAILED");
        assertThat(((Map<?, ?>) diverged.get("error")).get("code")).isEqualTo("DIVERGED");
        assertThat(JsonPath.<List<String>>read(diverged, "$.diagnoses[*].code")).contains("DIVERGED");
        Map<String, Object> tooLow = trialWith(sweep, "training.learningRate", 1e-10);
        assertThat(tooLow.get("status")).isEqualTo("SUCCEEDED");
        assertThat(((Number) tooLow.get("objectiveValue")).doubleValue()).isGreaterThan(JsonPath.<Double>read(sweep, "$.best.objectiveValue"));

        // every trial is an ordinary job of the sweep's model; only the best one became a version
        String bestJob = JsonPath.read(sweep, "$.best.jobId");
        mvc.perform(get("/jobs").param("modelId", "notes-sweep")).andExpect(Contract.matches())
                .andExpect(jsonPath("$.length()").value(3))
                .andExpect(jsonPath("$[*].sweepId").value(org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.is(id))));
        assertThat(JsonPath.<Integer>read(sweep, "$.modelVersion")).isEqualTo(1);
        mvc.perform(get("/models/{id}", "notes-sweep")).andExpect(status().isOk())
                .andExpect(jsonPath("$.versions.length()").value(1))
                .andExpect(jsonPath("$.versions[0].jobId").value(bestJob));
        mvc.perform(get("/jobs/{id}", bestJob)).andExpect(jsonPath("$.modelVersion").value(1));
        mvc.perform(post("/models/{id}/predict", "notes-sweep").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"instances\": [[1, 2, 1, 1], [1, 7, 7, 7]]}"))
                .andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.version").value(1))
                .andExpect(jsonPath("$.predictions.length()").value(2));
        mvc.perform(get("/sweeps")).andExpect(Contract.matches()).andExpect(jsonPath("$[*].id").value(org.hamcrest.Matchers.hasItem(id)));
    }

    @Test
    void randomSweepDrawsMaxTrialsSeededPointsWithinTheirRanges() throws Exception {
        String id = submit("""
                {"modelId": "notes-random", "job": %s,
                 "parameters": {"training.learningRate": {"type": "loguniform", "min": 0.001, "max": 1},
                                "training.batchSize": {"type": "int", "min": 2, "max": 8}},
                 "strategy": {"type": "random", "maxTrials": 3, "seed": 42, "maxConcurrentTrials": 2}}""".formatted(job("\"epochs\": 5")));
        String sweep = ended(id);
        assertThat(JsonPath.<String>read(sweep, "$.status")).as(sweep).isEqualTo("SUCCEEDED");
        assertThat(JsonPath.<String>read(sweep, "$.objective.metric")).isEqualTo("val_loss");
        assertThat(JsonPath.<String>read(sweep, "$.objective.goal")).isEqualTo("minimize");
        List<Map<String, Object>> trials = JsonPath.read(sweep, "$.trials");
        assertThat(trials).hasSize(3);
        for (Map<String, Object> t : trials) {
            Map<?, ?> p = (Map<?, ?>) t.get("parameters");
            assertThat(((Number) p.get("training.learningRate")).doubleValue()).isBetween(0.001, 1.0);
            assertThat(p.get("training.batchSize")).isInstanceOf(Integer.class);
            assertThat((Integer) p.get("training.batchSize")).isBetween(2, 8);
            String job = body(get("/jobs/{id}", t.get("jobId")));
            assertThat(JsonPath.<Integer>read(job, "$.spec.training.batchSize")).isEqualTo(p.get("training.batchSize"));
            assertThat(JsonPath.<Number>read(job, "$.spec.training.learningRate").doubleValue())
                    .isEqualTo(((Number) p.get("training.learningRate")).doubleValue());
        }
        assertThat(JsonPath.<List<Object>>read(sweep, "$.trials[*].parameters['training.learningRate']")).doesNotHaveDuplicates();
        mvc.perform(get("/jobs").param("modelId", "notes-random")).andExpect(jsonPath("$.length()").value(3));
    }

    /**
     * One trial at a time, so each one meets the earlier ones' values at its rungs (2, 6, 18 epochs): a trial at the
     * useless rate 1e-10 that comes after one at 0.5 is stopped at the first rung.
     */
    @Test
    void ashaStopsWeakTrialsAtTheirRungs() throws Exception {
        String id = submit("""
                {"modelId": "notes-asha", "job": %s,
                 "parameters": {"training.learningRate": {"values": [1e-10, 0.5]}},
                 "strategy": {"type": "asha", "maxTrials": 6, "seed": 3, "maxConcurrentTrials": 1, "reductionFactor": 3, "minEpochs": 2},
                 "objective": {"metric": "loss"}}""".formatted(job("\"epochs\": 20")));
        String sweep = ended(id);
        assertThat(JsonPath.<String>read(sweep, "$.status")).as(sweep).isEqualTo("SUCCEEDED");
        List<Map<String, Object>> trials = JsonPath.read(sweep, "$.trials");
        assertThat(trials).hasSize(6);
        List<Map<String, Object>> stopped = trials.stream().filter(t -> "STOPPED".equals(t.get("status"))).toList();
        assertThat(stopped).as(sweep).isNotEmpty();
        for (Map<String, Object> t : stopped) {
            assertThat(((Number) ((Map<?, ?>) t.get("parameters")).get("training.learningRate")).doubleValue()).isEqualTo(1e-10);
            assertThat((Integer) t.get("stoppedAtEpoch")).isIn(2, 6, 18);
            String job = body(get("/jobs/{id}", t.get("jobId")));
            assertThat(JsonPath.<String>read(job, "$.status")).isEqualTo("CANCELLED");
            assertThat(JsonPath.<Integer>read(job, "$.epoch")).isLessThan(20);
        }
        assertThat(JsonPath.<Double>read(sweep, "$.best.parameters['training.learningRate']")).isEqualTo(0.5);
        mvc.perform(get("/jobs").param("modelId", "notes-asha")).andExpect(jsonPath("$.length()").value(6));
    }

    @Test
    void cancelStopsQueuedAndRunningTrials() throws Exception {
        String id = submit("""
                {"modelId": "notes-cancel", "job": %s,
                 "parameters": {"training.learningRate": {"values": [0.1, 0.2, 0.3]}}}""".formatted(job("\"epochs\": 100000")));
        Await.until(() -> JsonPath.<List<String>>read(body(get("/sweeps/{id}", id)), "$.trials[*].status").contains("RUNNING"),
                Duration.ofSeconds(60), "a trial to run");
        // 202 while the running trial stops; 200 if it stopped before the answer was written (cancel checks are instant here)
        String cancelled = mvc.perform(post("/sweeps/{id}/cancel", id)).andExpect(Contract.matches()).andExpect(status().is2xxSuccessful())
                .andReturn().getResponse().getContentAsString();
        assertThat(JsonPath.<String>read(cancelled, "$.status")).isEqualTo("CANCELLED");
        Await.until(() -> JsonPath.<List<String>>read(body(get("/sweeps/{id}", id)), "$.trials[*].status").stream().allMatch("CANCELLED"::equals),
                Duration.ofSeconds(30), "every trial CANCELLED");
        String sweep = ended(id);
        assertThat(JsonPath.<List<String>>read(sweep, "$.trials[*].jobId")).hasSize(3);
        assertThat(sweep).doesNotContain("\"modelVersion\"", "\"best\"");
        mvc.perform(get("/jobs").param("modelId", "notes-cancel").param("status", "CANCELLED")).andExpect(jsonPath("$.length()").value(3));
        mvc.perform(get("/models/{id}", "notes-cancel")).andExpect(status().isNotFound());
        mvc.perform(post("/sweeps/{id}/cancel", id)).andExpect(Contract.responseMatches()).andExpect(status().isConflict());
    }

    @Test
    void badPathsAndRangesAre400sNamingThePath() throws Exception {
        String job = job("\"epochs\": 5");
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"training.learnRate\": {\"values\": [0.1]}}", "parameters.training.learnRate");
        cases.put("{\"model.layers[3].units\": {\"values\": [4]}}", "parameters.model.layers[3].units");
        cases.put("{\"training..x\": {\"values\": [4]}}", "parameters.training..x");
        cases.put("{\"training.learningRate\": {\"type\": \"loguniform\", \"min\": 0, \"max\": 1}}", "parameters.training.learningRate.min");
        cases.put("{\"training.learningRate\": {\"type\": \"uniform\", \"min\": 1, \"max\": 0.1}}", "parameters.training.learningRate.min");
        cases.put("{\"training.batchSize\": {\"type\": \"int\", \"min\": 1.5, \"max\": 4}}", "parameters.training.batchSize");
        cases.put("{\"training.learningRate\": {\"type\": \"uniform\", \"min\": 0.1, \"max\": 1}}", "parameters.training.learningRate.type");
        cases.put("{\"training.optimizer\": {\"values\": [\"adam\", \"bogus\"]}}", "parameters.training.optimizer");
        cases.put("{\"model.layers[0].units\": {\"values\": [3, 4]}}", "parameters.model.layers[0].units");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String problem = postSweep("""
                    {"modelId": "bad", "job": %s, "parameters": %s}""".formatted(job, c.getKey()))
                    .andExpect(Contract.responseMatches()).andExpect(status().isBadRequest())
                    .andReturn().getResponse().getContentAsString();
            assertThat(JsonPath.<String>read(problem, "$.field")).as(problem).isEqualTo(c.getValue());
        }
        String problem = postSweep("""
                {"modelId": "bad", "job": %s, "parameters": {"training.learningRate": {"values": [0.1]}},
                 "strategy": {"type": "grid", "reductionFactor": 2}, "objective": {"metric": "val_loss", "goal": "up"}}""".formatted(job))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString();
        assertThat(JsonPath.<List<String>>read(problem, "$.violations[*].field")).contains("strategy.reductionFactor");
        mvc.perform(get("/jobs").param("modelId", "bad")).andExpect(jsonPath("$.length()").value(0));
        mvc.perform(get("/sweeps/{id}", "no-such-sweep")).andExpect(Contract.responseMatches()).andExpect(status().isNotFound());
    }

    /**
     * A sweep is its rows: with this instance's driver stopped nothing moves it on; two fresh drivers (a restarted
     * instance and another one on the same database) stepping it at once finish it without queuing any trial twice.
     */
    @Test
    void aSweepCarriesOnAfterItsDriverStopsAndTwoOthersStepItAtOnce() throws Exception {
        driver.stop();
        SweepDriver restarted = new SweepDriver(sweeps, stepper, new SweepProperties(Duration.ofMillis(20), true));
        SweepDriver another = new SweepDriver(sweeps, stepper, new SweepProperties(Duration.ofMillis(20), true));
        try {
            String id = submit("""
                    {"modelId": "notes-restart", "job": %s, "parameters": {"training.learningRate": {"values": [0.05, 0.1, 0.2]}},
                     "strategy": {"maxConcurrentTrials": 1}}""".formatted(job("\"epochs\": 5")));
            Await.until(() -> "SUCCEEDED".equals(JsonPath.read(body(get("/sweeps/{id}", id)), "$.trials[0].status")), Duration.ofSeconds(60),
                    "the first trial (queued by POST /sweeps) to succeed");
            String paused = body(get("/sweeps/{id}", id));
            assertThat(JsonPath.<String>read(paused, "$.status")).isEqualTo("RUNNING");
            assertThat(JsonPath.<List<String>>read(paused, "$.trials[*].status")).containsExactly("SUCCEEDED", "PENDING", "PENDING");

            restarted.start();
            another.start();
            String sweep = ended(id);
            assertThat(JsonPath.<String>read(sweep, "$.status")).as(sweep).isEqualTo("SUCCEEDED");
            assertThat(JsonPath.<List<String>>read(sweep, "$.trials[*].status")).containsOnly("SUCCEEDED");
            mvc.perform(get("/jobs").param("modelId", "notes-restart")).andExpect(jsonPath("$.length()").value(3));
            mvc.perform(get("/models/{id}", "notes-restart")).andExpect(jsonPath("$.versions.length()").value(1));
        } finally {
            restarted.stop();
            another.stop();
            driver.start();
        }
    }
}
