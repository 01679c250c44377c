package io.trainserve.service.prediction;

import static io.trainserve.service.support.TestFiles.SOFTMAX_CSV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.TrainserveApplication;
import io.trainserve.service.support.Await;
import io.trainserve.service.support.Postgres;
import io.trainserve.service.support.TestKeys;
import io.trainserve.service.support.Training;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * Two service instances (this test's context and a second application context) on one PostgreSQL: a new
 * version, an alias created, moved and deleted, and a deleted version made on instance A are served by
 * instance B within about a second, although B answers steady-state predicts from its in-memory catalog.
 */
@SpringBootTest(properties = {"db-scheduler.polling-interval=100ms", "trainserve.jobs.progress-interval=0s",
        "trainserve.security.admin-key=" + TestKeys.ADMIN})
@AutoConfigureMockMvc
@Import(TestKeys.DefaultKey.class) // A's MockMvc sends the admin key; B's is built without the security filters
class ServingCatalogPostgresTest {
    static final Duration VISIBLE_WITHIN = Duration.ofMillis(1500);
    static final Map<String, Object> shared = new HashMap<>();
    static ConfigurableApplicationContext other;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws Exception {
        String[] db = Postgres.freshDatabase();
        shared.put("spring.datasource.url", db[0]);
        shared.put("spring.datasource.username", db[1]);
        shared.put("spring.datasource.password", db[2]);
        // bundles are files under the data directory until they move behind the storage port: both instances share it
        shared.put("trainserve.data-dir", Files.createTempDirectory("trainserve-two-instances").toString());
        shared.forEach((k, v) -> registry.add(k, () -> v));
    }

    @AfterAll
    static void stopOther() {
        if (other != null) other.close();
    }

    @Autowired
    MockMvc a;

    @Test
    void changesOnOneInstanceAreServedByTheOtherWithinASecond() throws Exception {
        Map<String, Object> props = new HashMap<>(shared);
        props.put("server.port", "0");
        props.put("db-scheduler.scheduler-name", "instance-b");
        // as command-line arguments: they outrank application.yml (builder properties are only defaults)
        other = new SpringApplicationBuilder(TrainserveApplication.class)
                .run(props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
        MockMvc b = MockMvcBuilders.webAppContextSetup((WebApplicationContext) other).build();
        String data = Training.upload(a, SOFTMAX_CSV);

        int v1 = Training.softmax(a, "shared", data, null, 0.1, 50);
        assertThat(version(b, "")).isEqualTo(v1); // B never saw the model: a miss re-reads the stamp at once

        int v2 = Training.softmax(a, "shared", data, null, 0.1, 50);
        awaitServed(b, "", v2, "B serves the new latest version");

        a.perform(put("/models/shared/aliases/champion").contentType(MediaType.APPLICATION_JSON).content("{\"version\": " + v1 + "}"))
                .andExpect(status().isCreated());
        awaitServed(b, "?alias=champion", v1, "B serves the new alias");
        a.perform(put("/models/shared/aliases/champion").contentType(MediaType.APPLICATION_JSON).content("{\"version\": " + v2 + "}"))
                .andExpect(status().isOk());
        awaitServed(b, "?alias=champion", v2, "B serves the moved alias");
        a.perform(delete("/models/shared/aliases/champion")).andExpect(status().isNoContent());
        awaitServed(b, "?alias=champion", 404, "B forgets the deleted alias");
        a.perform(delete("/models/shared/versions/{v}", v2)).andExpect(status().isNoContent());
        awaitServed(b, "", v1, "B falls back to the older version after a delete");
        awaitServed(b, "?version=" + v2, 404, "B no longer serves the deleted version");
    }

    /** Polls B until it answers {@code expected} (a version, or 404), and checks it took at most about a second. */
    private void awaitServed(MockMvc b, String query, int expected, String what) {
        long start = System.nanoTime();
        Await.until(() -> version(b, query) == expected, Duration.ofSeconds(10), what);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as(what + " took").isLessThan(VISIBLE_WITHIN);
    }

    private static int version(MockMvc b, String query) {
        try {
            MockHttpServletResponse r = b.perform(post("/models/shared/predict" + query).contentType(MediaType.APPLICATION_JSON)
                    .content("{\"instances\": [[1, 1]]}")).andReturn().getResponse();
            if (r.getStatus() == 404) return 404;
            assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
            return JsonPath.read(r.getContentAsString(), "$.version");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
