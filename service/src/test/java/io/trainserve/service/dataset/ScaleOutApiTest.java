package io.trainserve.service.dataset;

import static io.trainserve.service.support.TestFiles.SOFTMAX_CSV;
import static io.trainserve.service.support.TestFiles.csv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.instance.InstanceId;
import io.trainserve.service.support.ApiTest;
import io.trainserve.service.support.Await;
import io.trainserve.service.support.Contract;
import io.trainserve.service.support.Training;
import io.trainserve.service.system.DataDir;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Scale-out features through HTTP: corrupt blobs give a clear error (a FAILED job naming the dataset,
 * a 409 on predict) and never a wrong model; Idempotency-Key; the worker of a job; GET /instances.
 */
@ApiTest
class ScaleOutApiTest {
    @Autowired
    MockMvc mvc;
    @Autowired
    DataDir dataDir;
    @Autowired
    DatasetLoader loader;
    @Autowired
    InstanceId instance;

    @Test
    void aDatasetDamagedInStorageFailsItsQueuedJobNamingTheDatasetAndIsRefusedAfterwards() throws Exception {
        String datasetId = Training.upload(mvc, SOFTMAX_CSV);
        String blockerData = Training.upload(mvc, SOFTMAX_CSV);
        // the one worker thread trains an endless job, so the next job stays queued while its dataset is damaged
        String blocker = JsonPath.read(mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON)
                .content(spec("blocker", blockerData).replace("\"epochs\": 3", "\"epochs\": 100000")))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString(), "$.id");
        Await.until(() -> body(get("/jobs/{id}", blocker)).contains("\"RUNNING\""), Duration.ofSeconds(60), "blocker runs");
        String queued = JsonPath.read(mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(spec("corrupt", datasetId)))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString(), "$.id");

        damage(dataDir.root().resolve("datasets/" + datasetId + "/data.csv"));
        loader.evict(datasetId); // as on another instance (or after a restart): nothing parsed in memory
        mvc.perform(post("/jobs/{id}/cancel", blocker)).andExpect(status().isAccepted());

        String[] last = new String[1];
        Await.until(() -> {
            last[0] = body(get("/jobs/{id}", queued));
            return last[0].contains("\"FAILED\"") || last[0].contains("\"SUCCEEDED\"");
        }, Duration.ofSeconds(60), "queued job ends");
        assertThat(JsonPath.<String>read(last[0], "$.status")).isEqualTo("FAILED");
        assertThat(JsonPath.<String>read(last[0], "$.error.code")).isEqualTo("CORRUPT_DATA");
        assertThat(JsonPath.<String>read(last[0], "$.error.message")).contains(datasetId).contains("corrupt");
        // POST /jobs answers from the dataset's stored description (issue 14) and never reads its bytes, so a damaged
        // blob is found by the job that reads it: FAILED with CORRUPT_DATA, as above, never a model.
    }

    /**
     * A damaged bundle is never read as a model: reading it (a bundle download, an instance loading the version) is a
     * 409 corrupt-bundle. Predict keeps answering from the copy this instance verified and warmed when the version was
     * published, so its answer is exactly the one from before the damage.
     */
    @Test
    void aBundleDamagedInStorageIsA409WhenReadNeverAWrongModel() throws Exception {
        String datasetId = Training.upload(mvc, SOFTMAX_CSV);
        int version = Training.softmax(mvc, "damaged", datasetId, null, 0.1, 20);
        String before = body(post("/models/damaged/predict").contentType(MediaType.APPLICATION_JSON).content("{\"instances\": [[1,2]]}"));
        damage(dataDir.root().resolve("bundles/damaged/v" + version + ".zip"));

        mvc.perform(get("/models/damaged/versions/{v}/bundle", version))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("corrupt-bundle"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("'damaged' version " + version)))
                .andExpect(Contract.responseMatches());
        String after = body(post("/models/damaged/predict").contentType(MediaType.APPLICATION_JSON).content("{\"instances\": [[1,2]]}"));
        assertThat(after).isEqualTo(before);
    }

    @Test
    void aRetriedJobWithTheSameIdempotencyKeyReturnsTheFirstJob() throws Exception {
        String datasetId = Training.upload(mvc, SOFTMAX_CSV);
        String key = UUID.randomUUID().toString();
        String first = mvc.perform(post("/jobs").header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                .content(spec("idem", datasetId))).andExpect(status().isAccepted()).andExpect(Contract.matches())
                .andReturn().getResponse().getContentAsString();
        String retry = mvc.perform(post("/jobs").header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                .content(spec("idem", datasetId))).andExpect(status().isAccepted())
                .andReturn().getResponse().getContentAsString();
        String other = mvc.perform(post("/jobs").header("Idempotency-Key", key + "-2").contentType(MediaType.APPLICATION_JSON)
                .content(spec("idem", datasetId))).andExpect(status().isAccepted())
                .andReturn().getResponse().getContentAsString();

        assertThat(JsonPath.<String>read(retry, "$.id")).isEqualTo(JsonPath.read(first, "$.id"));
        assertThat(JsonPath.<String>read(other, "$.id")).isNotEqualTo(JsonPath.read(first, "$.id"));
        String jobs = body(get("/jobs").param("modelId", "idem"));
        assertThat(JsonPath.<java.util.List<?>>read(jobs, "$")).hasSize(2);
    }

    @Test
    void aRetriedUploadWithTheSameIdempotencyKeyReturnsTheFirstDataset() throws Exception {
        String key = UUID.randomUUID().toString();
        String first = mvc.perform(multipart("/datasets").file(csv(SOFTMAX_CSV)).header("Idempotency-Key", key))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        String retry = mvc.perform(multipart("/datasets").file(csv(SOFTMAX_CSV)).header("Idempotency-Key", key))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        assertThat(JsonPath.<String>read(retry, "$.id")).isEqualTo(JsonPath.read(first, "$.id"));
        long withThatId = JsonPath.<java.util.List<String>>read(body(get("/datasets")), "$[*].id").stream()
                .filter(id -> id.equals(JsonPath.read(first, "$.id"))).count();
        assertThat(withThatId).isEqualTo(1);
    }

    @Test
    void aMalformedIdempotencyKeyIsA400NamingTheHeader() throws Exception {
        mvc.perform(multipart("/datasets").file(csv(SOFTMAX_CSV)).header("Idempotency-Key", "x".repeat(201)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("Idempotency-Key"))
                .andExpect(jsonPath("$.allowed").value(org.hamcrest.Matchers.containsString("200")));
    }

    @Test
    void aJobShowsItsWorkerAndTheInstancesListShowsThisInstanceRunningIt() throws Exception {
        String datasetId = Training.upload(mvc, SOFTMAX_CSV);
        Training.softmax(mvc, "worker", datasetId, null, 0.1, 5);
        String jobs = body(get("/jobs").param("modelId", "worker"));
        assertThat(JsonPath.<String>read(jobs, "$[0].worker")).isEqualTo(instance.value());
        assertThat(JsonPath.<Integer>read(jobs, "$[0].attempts")).isEqualTo(1);

        mvc.perform(get("/instances")).andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$[?(@.self == true)].id").value(org.hamcrest.Matchers.contains(instance.value())))
                .andExpect(jsonPath("$[0].heartbeatAt").exists());
    }

    @Test
    void aFileNameWithANulByteIsA400NotA500() throws Exception {
        var part = new org.springframework.mock.web.MockMultipartFile("file", "a\u0000b.csv", "text/csv", SOFTMAX_CSV.getBytes());
        mvc.perform(multipart("/datasets").file(part)).andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.field").value("filename"));
    }

    private String body(org.springframework.test.web.servlet.RequestBuilder request) {
        try {
            return mvc.perform(request).andReturn().getResponse().getContentAsString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String spec(String modelId, String datasetId) {
        return """
                {"modelId": "%s", "datasetId": "%s", "target": "label",
                 "model": {"layers": [{"type": "dense", "units": 3, "activation": "softmax"}], "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "adam", "learningRate": 0.1, "epochs": 3, "batchSize": 8, "seed": 1}}
                """.formatted(modelId, datasetId);
    }

    private static void damage(Path file) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x20);
        }
    }
}
