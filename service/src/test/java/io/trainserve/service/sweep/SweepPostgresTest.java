package io.trainserve.service.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.support.Await;
import io.trainserve.service.support.Postgres;
import io.trainserve.service.support.TestKeys;
import io.trainserve.service.support.Training;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * On PostgreSQL, the production database: three sweep drivers (this instance's and two more, as other instances
 * would run) step one sweep every 20 ms while two trials train at once; each trial is queued once and one model
 * version is published.
 */
@Import(TestKeys.DefaultKey.class)
@SpringBootTest(properties = {
        "trainserve.data-dir=${java.io.tmpdir}/trainserve-test-${random.uuid}",
        "db-scheduler.polling-interval=100ms",
        "trainserve.jobs.concurrency=2",
        "trainserve.sweeps.step-interval=20ms",
        "trainserve.security.admin-key=" + TestKeys.ADMIN})
@AutoConfigureMockMvc
class SweepPostgresTest {
    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry);
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    SweepRepository sweeps;
    @Autowired
    SweepStepper stepper;

    @Test
    void driversOfSeveralInstancesQueueEachTrialOnceAndPublishOnce() throws Exception {
        SweepDriver second = new SweepDriver(sweeps, stepper, new SweepProperties(Duration.ofMillis(20), true));
        SweepDriver third = new SweepDriver(sweeps, stepper, new SweepProperties(Duration.ofMillis(20), true));
        second.start();
        third.start();
        try {
            String datasetId = Training.upload(mvc, Files.readString(Path.of("..", "examples", "softmax8.csv")));
            String id = JsonPath.read(mvc.perform(post("/sweeps").contentType(MediaType.APPLICATION_JSON).content("""
                            {"modelId": "pg-sweep", "job": %s, "parameters": {"training.learningRate": {"values": [0.05, 0.1, 0.2, 0.4]}},
                             "strategy": {"type": "grid", "maxConcurrentTrials": 2}}""".formatted(SweepApiTest.notesJob(datasetId, "\"epochs\": 5"))))
                    .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString(), "$.id");
            String[] sweep = new String[1];
            Await.until(() -> {
                try {
                    sweep[0] = mvc.perform(get("/sweeps/{id}", id)).andReturn().getResponse().getContentAsString();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return !"RUNNING".equals(JsonPath.read(sweep[0], "$.status"));
            }, Duration.ofSeconds(120), "the sweep to end");
            assertThat(JsonPath.<String>read(sweep[0], "$.status")).as(sweep[0]).isEqualTo("SUCCEEDED");
            assertThat(JsonPath.<List<String>>read(sweep[0], "$.trials[*].status")).containsExactly("SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED");
            assertThat(JsonPath.<List<String>>read(sweep[0], "$.trials[*].jobId")).doesNotHaveDuplicates();
            mvc.perform(get("/jobs").param("modelId", "pg-sweep")).andExpect(jsonPath("$.length()").value(4));
            mvc.perform(get("/models/{id}", "pg-sweep")).andExpect(jsonPath("$.versions.length()").value(1))
                    .andExpect(jsonPath("$.versions[0].jobId").value(JsonPath.<String>read(sweep[0], "$.best.jobId")));
        } finally {
            second.stop();
            third.stop();
        }
    }
}
