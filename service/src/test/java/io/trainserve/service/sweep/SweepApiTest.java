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
    String datasetId;

    @BeforeEach
    void upload() throws Exception {
        datasetId = Training.upload(mvc, Files.readString(Path.of("..", "examples", "softmax8.csv")));
    }

    /** The notes' softmax job with SGD (a quarter held out), without modelId; {@code training} is spliced in. */
    String job(String training) {
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
}
