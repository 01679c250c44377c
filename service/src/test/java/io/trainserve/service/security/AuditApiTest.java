package io.trainserve.service.security;

import static io.trainserve.service.support.TestFiles.SOFTMAX_CSV;
import static io.trainserve.service.support.TestFiles.csv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.support.ApiTest;
import io.trainserve.service.support.Contract;
import io.trainserve.service.support.TestKeys;
import io.trainserve.service.support.Training;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;

/** GET /audit answers who (key name) did what and when, for changes made through the API by different keys. */
@ApiTest
class AuditApiTest {
    static final String ADMIN = AdminKeyBootstrap.ENV_KEY_NAME;

    @Autowired
    MockMvc mvc;

    @Test
    void uploadsJobsCancelsDeletesRestoresAndKeyChangesAreAuditedWithTheirKeysName() throws Exception {
        Instant start = Instant.now();
        String trainer = TestKeys.bearer(KeyFixtures.create(mvc, "alice", "trainer")[1]);
        String body = mvc.perform(multipart("/datasets").file(csv(SOFTMAX_CSV)).header(HttpHeaders.AUTHORIZATION, trainer))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        String aliceDataset = JsonPath.read(body, "$.id");
        mvc.perform(delete("/datasets/{id}", aliceDataset).header(HttpHeaders.AUTHORIZATION, trainer)).andExpect(status().isNoContent());

        String dataset = Training.upload(mvc, SOFTMAX_CSV);
        int v = Training.softmax(mvc, "audited", dataset, null, 0.1, 5);
        byte[] bundle = mvc.perform(get("/models/audited/versions/{v}/bundle", v)).andReturn().getResponse().getContentAsByteArray();
        mvc.perform(multipart("/models/audited/versions").file(new MockMultipartFile("file", "a.zip", "application/zip", bundle)))
                .andExpect(status().isCreated());
        mvc.perform(delete("/models/audited/versions/{v}", v)).andExpect(status().isNoContent());
        String job = mvc.perform(post("/jobs").header(HttpHeaders.AUTHORIZATION, trainer).contentType(MediaType.APPLICATION_JSON).content("""
                        {"modelId": "long", "datasetId": "%s", "target": "label", "preprocessing": {"scaling": "minmax"},
                         "model": {"layers": [{"type": "dense", "units": 3, "activation": "softmax"}], "loss": "sparse_categorical_crossentropy"},
                         "training": {"optimizer": "adam", "learningRate": 0.01, "epochs": 100000, "batchSize": 8, "seed": 1}}
                        """.formatted(dataset))).andReturn().getResponse().getContentAsString();
        assertThat(job).as("POST /jobs").contains("\"QUEUED\"");
        String jobId = JsonPath.read(job, "$.id");
        String cancelled = mvc.perform(post("/jobs/{id}/cancel", jobId).header(HttpHeaders.AUTHORIZATION, trainer))
                .andReturn().getResponse().getContentAsString();
        assertThat(cancelled).as("cancel").contains("\"id\":\"" + jobId + "\"").doesNotContain("\"code\"");

        String audit = mvc.perform(get("/audit")).andExpect(status().isOk()).andExpect(Contract.matches())
                .andReturn().getResponse().getContentAsString();
        List<Map<String, Object>> events = JsonPath.read(audit, "$");
        assertThat(events).extracting(e -> e.get("actor") + " " + e.get("action") + " " + e.get("target")).contains(
                ADMIN + " key.create " + events.stream().filter(e -> "key.create".equals(e.get("action"))).findFirst().orElseThrow().get("target"),
                "alice dataset.upload " + aliceDataset,
                "alice dataset.delete " + aliceDataset,
                ADMIN + " dataset.upload " + dataset,
                ADMIN + " model.version.restore audited/" + (v + 1),
                ADMIN + " model.version.delete audited/" + v,
                "alice job.submit " + jobId + " (model long)",
                "alice job.cancel " + jobId);
        assertThat(events).filteredOn(e -> "job.submit".equals(e.get("action")) && ADMIN.equals(e.get("actor"))).hasSize(1);
        // newest first, each with its time
        List<Instant> times = events.stream().map(e -> Instant.parse((String) e.get("at"))).toList();
        assertThat(times.get(0)).isAfterOrEqualTo(start);
        assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(events.get(0).get("action")).isEqualTo("job.cancel");

        mvc.perform(get("/audit").param("actor", "alice").param("action", "dataset.delete")).andExpect(Contract.matches())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.length()").value(1));
        mvc.perform(get("/audit").header(HttpHeaders.AUTHORIZATION, trainer)).andExpect(status().isForbidden());
    }
}
