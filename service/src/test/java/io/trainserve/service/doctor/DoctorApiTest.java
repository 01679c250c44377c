package io.trainserve.service.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
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
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/** The training doctor on real runs, read back through GET /jobs/{id} and the Prometheus scrape. */
@ApiTest
class DoctorApiTest {
    static final Path EXAMPLES = Path.of("..", "examples");
    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    @Autowired
    MockMvc mvc;

    /** Posts a job and returns its JSON once finished (checked against the API contract). */
    String finished(String spec) throws Exception {
        String job = mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(spec)).andExpect(status().isAccepted())
                .andReturn().getResponse().getContentAsString();
        String id = JsonPath.read(job, "$.id");
        String[] last = new String[1];
        Await.until(() -> {
            try {
                last[0] = mvc.perform(get("/jobs/{id}", id)).andReturn().getResponse().getContentAsString();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return TERMINAL.contains(JsonPath.<String>read(last[0], "$.status"));
        }, Duration.ofSeconds(90), "job " + id + " to finish");
        mvc.perform(get("/jobs/{id}", id)).andExpect(status().isOk()).andExpect(Contract.matches());
        return last[0];
    }

    static List<String> codes(String job) {
        return JsonPath.read(job, "$.diagnoses[*].code");
    }

    static Map<String, Object> diagnosis(String job, String code) {
        List<Map<String, Object>> found = JsonPath.read(job, "$.diagnoses[?(@.code == '" + code + "')]");
        assertThat(found).as("diagnosis %s in %s", code, job).hasSize(1);
        return found.get(0);
    }

    /** The notes' softmax regression on their 8 rows (a quarter held out), SGD at the given learning rate for 20 epochs. */
    String softmax8Sgd(String modelId, String learningRate) throws Exception {
        String data = Training.upload(mvc, Files.readString(EXAMPLES.resolve("softmax8.csv")));
        return """
                {"modelId": "%s", "datasetId": "%s", "target": "y", "validation": {"split": 0.25},
                 "preprocessing": {"scaling": "minmax"},
                 "model": {"layers": [{"type": "dense", "units": 3, "activation": "softmax"}], "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "sgd", "learningRate": %s, "epochs": 20, "batchSize": 8, "seed": 1}}
                """.formatted(modelId, data, learningRate);
    }

    @Test
    void tinyLearningRateIsTooLow() throws Exception {
        String job = finished(softmax8Sgd("lr-low", "1e-10"));
        assertThat(JsonPath.<String>read(job, "$.status")).isEqualTo("SUCCEEDED");
        Map<String, Object> low = diagnosis(job, "LEARNING_RATE_TOO_LOW");
        assertThat(low.get("severity")).isEqualTo("warning");
        assertThat((String) low.get("evidence")).contains("epoch 20").contains("1.00e-10");
        assertThat((String) low.get("advice")).contains("0.01");
        assertThat(codes(job)).doesNotContain("UNDERFITTING", "DIVERGED", "NO_VALIDATION", "UNSCALED_INPUTS");

        // the job's event stream ends with the finished job, diagnoses included
        MvcResult stream = mvc.perform(get("/jobs/{id}/events", JsonPath.<String>read(job, "$.id")).accept(MediaType.TEXT_EVENT_STREAM))
                .andExpect(request().asyncStarted()).andReturn();
        stream.getAsyncResult(Duration.ofSeconds(15).toMillis());
        String events = stream.getResponse().getContentAsString();
        String status = events.substring(Math.max(0, events.lastIndexOf("event:status")));
        assertThat(status).startsWith("event:status");
        assertThat(status).contains("\"code\":\"LEARNING_RATE_TOO_LOW\"");

        String scrape = mvc.perform(get("/actuator/prometheus")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(scrape).containsPattern("trainserve_diagnoses_total\\{[^}]*code=\"LEARNING_RATE_TOO_LOW\"[^}]*} [1-9]");
    }

    @Test
    void unscaledQuizScoresWithSgd() throws Exception {
        String data = Training.upload(mvc, Files.readString(EXAMPLES.resolve("quiz-scores.csv")));
        String job = finished("""
                {"modelId": "quiz-raw", "datasetId": "%s", "target": "final",
                 "model": {"layers": [{"type": "dense", "units": 1, "activation": "linear"}], "loss": "mse"},
                 "training": {"optimizer": "sgd", "learningRate": 0.1, "epochs": 50, "batchSize": 5, "shuffle": false}}
                """.formatted(data));
        assertThat(codes(job)).contains("UNSCALED_INPUTS", "NO_VALIDATION");
        Map<String, Object> unscaled = diagnosis(job, "UNSCALED_INPUTS");
        assertThat((String) unscaled.get("evidence")).contains("no preprocessing.scaling").contains("mean");
        assertThat((String) unscaled.get("advice")).contains("standardize");
        if (codes(job).contains("DIVERGED")) {
            assertThat(JsonPath.<String>read(job, "$.status")).isEqualTo("FAILED");
            assertThat((String) diagnosis(job, "DIVERGED").get("advice")).contains("Normalize the inputs");
        }
    }

    @Test
    void divergingLearningRateIsTooHigh() throws Exception {
        String job = finished(softmax8Sgd("lr-high", "100000"));
        assertThat(JsonPath.<String>read(job, "$.status")).isEqualTo("FAILED");
        assertThat(codes(job)).contains("DIVERGED", "LEARNING_RATE_TOO_HIGH").doesNotContain("UNSCALED_INPUTS");
        assertThat(diagnosis(job, "DIVERGED").get("severity")).isEqualTo("error");
        assertThat((String) diagnosis(job, "LEARNING_RATE_TOO_HIGH").get("evidence")).contains("100000");
    }

    @Test
    void largeNetworkOnFewNoisyRowsOverfits() throws Exception {
        Random random = new Random(7);
        StringBuilder csv = new StringBuilder("a,b,c,d,label\n");
        for (int i = 0; i < 40; i++) {
            csv.append("%.3f,%.3f,%.3f,%.3f,%d%n".formatted(random.nextDouble(), random.nextDouble(), random.nextDouble(),
                    random.nextDouble(), random.nextInt(2)));
        }
        String job = finished("""
                {"modelId": "overfit", "datasetId": "%s", "target": "label", "validation": {"split": 0.5},
                 "model": {"layers": [{"type": "dense", "units": 128, "activation": "relu"}, {"type": "dense", "units": 128, "activation": "relu"},
                                      {"type": "dense", "units": 2, "activation": "softmax"}], "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "adam", "learningRate": 0.01, "epochs": 150, "batchSize": 20, "seed": 3}}
                """.formatted(Training.upload(mvc, csv.toString())));
        assertThat(JsonPath.<String>read(job, "$.status")).isEqualTo("SUCCEEDED");
        Map<String, Object> over = diagnosis(job, "OVERFITTING");
        assertThat((String) over.get("evidence")).containsPattern("epoch \\d+");
        assertThat((String) over.get("advice")).contains("dropout").contains("early stopping").contains("regularization");
    }

    @Test
    void soundRunGetsNoDiagnoses() throws Exception {
        Random random = new Random(11);
        StringBuilder csv = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < 200; i++) {
            double x1 = random.nextDouble();
            double x2 = random.nextDouble();
            csv.append("%.3f,%.3f,%s%n".formatted(x1, x2, x1 + x2 > 1 ? "high" : "low"));
        }
        String job = finished("""
                {"modelId": "sound", "datasetId": "%s", "target": "label", "validation": {"split": 0.2},
                 "preprocessing": {"scaling": "standardize"},
                 "model": {"layers": [{"type": "dense", "units": 8, "activation": "tanh"}, {"type": "dense", "units": 2, "activation": "softmax"}],
                           "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "adam", "learningRate": 0.05, "epochs": 40, "batchSize": 20, "seed": 1}}
                """.formatted(Training.upload(mvc, csv.toString())));
        assertThat(JsonPath.<String>read(job, "$.status")).isEqualTo("SUCCEEDED");
        assertThat(JsonPath.<Double>read(job, "$.metrics.val_accuracy")).isGreaterThan(0.9);
        assertThat(codes(job)).as(job).isEmpty();
    }
}
