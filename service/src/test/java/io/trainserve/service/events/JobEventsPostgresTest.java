package io.trainserve.service.events;

import static io.trainserve.service.support.TestFiles.SOFTMAX_CSV;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.support.Postgres;
import io.trainserve.service.support.TestKeys;
import io.trainserve.service.support.Training;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** On PostgreSQL, the production database: a job another instance trains streams from its rows. */
@Import(TestKeys.DefaultKey.class)
@SpringBootTest(properties = {
        "trainserve.data-dir=${java.io.tmpdir}/trainserve-test-${random.uuid}",
        "db-scheduler.polling-interval=100ms",
        "trainserve.security.admin-key=" + TestKeys.ADMIN})
@AutoConfigureMockMvc
class JobEventsPostgresTest {
    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry);
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aJobTrainedByAnotherInstanceIsStreamedFromItsRows() throws Exception {
        String datasetId = Training.upload(mvc, SOFTMAX_CSV);
        String spec = JsonPath.parse("""
                {"modelId": "elsewhere", "datasetId": "%s", "target": "label",
                 "model": {"layers": [{"type": "dense", "units": 3, "activation": "softmax"}], "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "sgd", "learningRate": 0.01, "epochs": 2, "batchSize": 4, "seed": 1}}
                """.formatted(datasetId)).jsonString();
        new AnotherInstance(jdbc).trainsAJobThatIsStreamedHere(new EventStreams(mvc), datasetId, spec);
    }
}
