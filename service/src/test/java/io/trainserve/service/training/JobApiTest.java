package io.trainserve.service.training;

import static io.trainserve.service.support.TestFiles.SOFTMAX_CSV;
import static io.trainserve.service.support.TestFiles.csv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.support.ApiTest;
import io.trainserve.service.support.Await;
import io.trainserve.service.support.Contract;
import io.trainserve.service.support.ScriptedRunner;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

@ApiTest
@Import(JobApiTest.Runner.class)
class JobApiTest {
    @TestConfiguration
    static class Runner {
        @Bean
        @org.springframework.context.annotation.Primary // stands in for the engine-backed runner
        ScriptedRunner scriptedRunner() {
            return new ScriptedRunner();
        }
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    ScriptedRunner runner;
    @Autowired
    JobRepository jobs;

    String datasetId;

    @BeforeEach
    void upload() throws Exception {
        runner.reset();
        String body = mvc.perform(multipart("/datasets").file(csv(SOFTMAX_CSV))).andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString();
        datasetId = JsonPath.read(body, "$.id");
    }

    @AfterEach
    void releaseRunner() {
        runner.release.countDown();
    }

    String spec(String modelId, String layers, String training) {
        return """
                {"modelId": "%s", "datasetId": "%s", "target": "label", "validation": {"split": 0.25},
                 "preprocessing": {"scaling": "minmax"},
                 "model": {"layers": [%s], "loss": "sparse_categorical_crossentropy"},
                 "training": {%s}}
                """.formatted(modelId, datasetId, layers, training);
    }

    static final String GOOD_LAYERS = """
            {"type": "dense", "units": 8, "activation": "relu", "init": "he"},
            {"type": "dense", "units": 3, "activation": "softmax"}""";
    static final String GOOD_TRAINING = """
            "optimizer": "adam", "learningRate": 0.01, "epochs": 3, "batchSize": 4, "seed": 1""";

    ResultActions submit(String json) throws Exception {
        return mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(json));
    }

    String jobStatus(String id) {
        return jobs.findById(id).orElseThrow().status().name();
    }

    @Test
    void jobRunsReportsProgressAndSucceeds() throws Exception {
        String body = submit(spec("softmax", GOOD_LAYERS, GOOD_TRAINING))
                .andExpect(status().isAccepted())
                .andExpect(Contract.matches())
                .andExpect(header().string("Location", containsString("/jobs/")))
                .andExpect(jsonPath("$.status").value("QUEUED"))
                .andExpect(jsonPath("$.spec.model.layers[1].units").value(3))
                .andReturn().getResponse().getContentAsString();
        String id = JsonPath.read(body, "$.id");
        assertThat(runner.started.await(30, TimeUnit.SECONDS)).isTrue();

        mvc.perform(get("/jobs/{id}", id)).andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.status").value("RUNNING"))
                .andExpect(jsonPath("$.epochs").value(3))
                .andExpect(jsonPath("$.metrics.accuracy").value(0.5))
                .andExpect(jsonPath("$.attempts").value(1));
        mvc.perform(get("/jobs/{id}/history", id)).andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$[0].epoch").value(1))
                .andExpect(jsonPath("$[0].metrics.loss").value(1.1))
                .andExpect(jsonPath("$[0].durationMillis").value(12));

        // the dataset is in use while the job runs
        mvc.perform(delete("/datasets/{id}", datasetId)).andExpect(status().isConflict()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.code").value("dataset-in-use"));

        runner.release.countDown();
        Await.until(() -> jobStatus(id).equals("SUCCEEDED"), Duration.ofSeconds(30), "job to succeed");
        mvc.perform(get("/jobs/{id}", id)).andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.modelVersion").value(1))
                .andExpect(jsonPath("$.progress").value(1.0))
                .andExpect(jsonPath("$.testMetrics.accuracy").value(1.0));
        mvc.perform(get("/jobs").param("status", "SUCCEEDED").param("modelId", "softmax"))
                .andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$[?(@.id == '" + id + "')]").exists());
        mvc.perform(get("/jobs").param("modelId", "other")).andExpect(status().isOk()).andExpect(jsonPath("$.length()").value(0));
        // finished: cannot be cancelled, and the dataset is free again
        mvc.perform(post("/jobs/{id}/cancel", id)).andExpect(status().isConflict()).andExpect(Contract.matches());
        mvc.perform(delete("/datasets/{id}", datasetId)).andExpect(status().isNoContent());
    }

    @Test
    void runningJobIsCancelled() throws Exception {
        String id = JsonPath.read(submit(spec("cancel-me", GOOD_LAYERS, GOOD_TRAINING)).andExpect(status().isAccepted())
                .andReturn().getResponse().getContentAsString(), "$.id");
        assertThat(runner.started.await(30, TimeUnit.SECONDS)).isTrue();
        mvc.perform(post("/jobs/{id}/cancel", id)).andExpect(status().isAccepted()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.cancelRequested").value(true));
        Await.until(() -> jobStatus(id).equals("CANCELLED"), Duration.ofSeconds(30), "job to be cancelled");
        mvc.perform(get("/jobs/{id}", id)).andExpect(jsonPath("$.finishedAt").isString());
    }

    // ---- bad specs: 4xx problems naming the field ----

    @Test
    void unknownLayerTypeNamesTheField() throws Exception {
        submit(spec("m", "{\"type\": \"dnse\", \"units\": 3, \"activation\": \"softmax\"}", GOOD_TRAINING))
                .andExpect(status().isBadRequest())
                .andExpect(Contract.matches())
                .andExpect(jsonPath("$.type").value("https://trainserve.io/problems/invalid-spec"))
                .andExpect(jsonPath("$.field").value("model.layers[0].type"))
                .andExpect(jsonPath("$.allowed").value(containsString("dense")));
    }

    @Test
    void negativeLearningRate() throws Exception {
        submit(spec("m", GOOD_LAYERS, "\"learningRate\": -0.1"))
                .andExpect(status().isBadRequest())
                .andExpect(Contract.matches())
                .andExpect(jsonPath("$.violations[0].field").value("training.learningRate"))
                .andExpect(jsonPath("$.violations[0].given").value("-0.1"));
    }

    @Test
    void labelCountMustMatchTheOutputLayer() throws Exception {
        submit(spec("m", "{\"type\": \"dense\", \"units\": 2, \"activation\": \"softmax\"}", GOOD_TRAINING))
                .andExpect(status().isBadRequest())
                .andExpect(Contract.matches())
                .andExpect(jsonPath("$.detail").value(containsString("3")));
    }

    @Test
    void unknownTargetColumn() throws Exception {
        submit(spec("m", GOOD_LAYERS, GOOD_TRAINING).replace("\"target\": \"label\"", "\"target\": \"y\""))
                .andExpect(status().isBadRequest())
                .andExpect(Contract.matches())
                .andExpect(jsonPath("$.field").value("target"))
                .andExpect(jsonPath("$.allowed").value(containsString("label")));
    }

    @Test
    void unknownDatasetIs404() throws Exception {
        submit(spec("m", GOOD_LAYERS, GOOD_TRAINING).replace(datasetId, "no-such-dataset"))
                .andExpect(status().isNotFound())
                .andExpect(Contract.matches())
                .andExpect(jsonPath("$.field").value("datasetId"))
                .andExpect(jsonPath("$.given").value("no-such-dataset"));
    }

    @Test
    void unknownPropertyIsNamed() throws Exception {
        submit(spec("m", GOOD_LAYERS, GOOD_TRAINING + ", \"learning_rate\": 0.1"))
                .andExpect(status().isBadRequest())
                .andExpect(Contract.responseMatches())
                .andExpect(jsonPath("$.code").value("unknown-property"))
                .andExpect(jsonPath("$.field").value("training.learning_rate"));
    }

    @Test
    void wrongJsonTypeIsNamed() throws Exception {
        submit(spec("m", "{\"type\": \"dense\", \"units\": \"three\"}", GOOD_TRAINING))
                .andExpect(status().isBadRequest())
                .andExpect(Contract.responseMatches())
                .andExpect(jsonPath("$.field").value("model.layers[0].units"));
    }

    @Test
    void malformedJson() throws Exception {
        submit("{\"modelId\": ").andExpect(status().isBadRequest()).andExpect(Contract.responseMatches())
                .andExpect(jsonPath("$.code").value("malformed-json"));
    }

    @Test
    void badModelIdAndSplit() throws Exception {
        submit(spec("no spaces allowed", GOOD_LAYERS, GOOD_TRAINING).replace("0.25", "1.5"))
                .andExpect(status().isBadRequest())
                .andExpect(Contract.matches())
                .andExpect(jsonPath("$.violations[?(@.field == 'modelId')]").exists())
                .andExpect(jsonPath("$.violations[?(@.field == 'validation.split')]").exists());
    }

    @Test
    void unknownJobAndBadFilter() throws Exception {
        mvc.perform(get("/jobs/nope")).andExpect(status().isNotFound()).andExpect(Contract.matches());
        mvc.perform(get("/jobs/nope/history")).andExpect(status().isNotFound()).andExpect(Contract.matches());
        mvc.perform(post("/jobs/nope/cancel")).andExpect(status().isNotFound()).andExpect(Contract.matches());
        mvc.perform(get("/jobs").param("status", "DONE")).andExpect(status().isBadRequest()).andExpect(Contract.responseMatches())
                .andExpect(jsonPath("$.field").value("status"));
    }
}
