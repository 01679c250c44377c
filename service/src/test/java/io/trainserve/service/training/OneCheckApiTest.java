package io.trainserve.service.training;

import static io.trainserve.service.support.TestFiles.SOFTMAX_CSV;
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
import io.trainserve.service.system.DataDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * A job is checked once, by the engine, against the dataset's stored description: the cases where
 * the service's and the trainer's checks used to disagree, and a job posted while its data file is
 * unreadable (accepted, since the catalog answers; the job then fails naming only the step).
 */
@ApiTest
@TestPropertySource(properties = "trainserve.datasets.cache-size=0") // nothing parsed stays in memory: POST /jobs must not need it
class OneCheckApiTest {
    static final String LINE_CSV = """
            x1,x2,y
            0,1,0.5
            1,0,2.5
            2,1,4.5
            3,0,6.5
            4,1,8.5
            5,0,10.5
            6,1,12.5
            7,0,14.5
            """;

    @Autowired
    MockMvc mvc;
    @Autowired
    DataDir dataDir;
    @Autowired
    JobRepository jobs;
    @Autowired
    JdbcTemplate jdbc;

    ResultActions submit(String json) throws Exception {
        return mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(json));
    }

    static String regression(String modelId, String datasetId, String training) {
        return """
                {"modelId": "%s", "datasetId": "%s", "target": "y", "validation": {"split": 0.25},
                 "preprocessing": {"scaling": "standardize"},
                 "model": {"layers": [{"type": "dense", "units": 1}], "loss": "mse"},
                 "training": {%s}}
                """.formatted(modelId, datasetId, training);
    }

    @Test
    void binaryAccuracyOnALinearMseJobIsRefusedAtTheDoor() throws Exception {
        String ds = Training.upload(mvc, LINE_CSV);
        submit(regression("line-bin", ds, """
                "optimizer": "sgd", "learningRate": 0.01, "epochs": 3,
                "callbacks": {"earlyStopping": {"monitor": "binary_accuracy"}, "reduceLrOnPlateau": {"monitor": "val_mae"}}"""))
                .andExpect(status().isBadRequest())
                .andExpect(Contract.matches())
                .andExpect(jsonPath("$.violations.length()").value(1))
                .andExpect(jsonPath("$.violations[0].field").value("training.callbacks.earlyStopping.monitor"))
                .andExpect(jsonPath("$.violations[0].given").value("binary_accuracy"))
                .andExpect(jsonPath("$.violations[0].allowed").value("loss, mse, mae, val_loss, val_mse, val_mae"));
    }

    @Test
    void valMaeOnARegressionFineTuneIsAcceptedAndTrains() throws Exception {
        String ds = Training.upload(mvc, LINE_CSV);
        int base = Training.run(mvc, regression("line-base", ds, "\"optimizer\": \"sgd\", \"learningRate\": 0.05, \"epochs\": 20, \"seed\": 1"));
        String tune = """
                {"modelId": "line-tuned", "datasetId": "%s", "target": "y", "validation": {"split": 0.25},
                 "baseModel": {"modelId": "line-base", "version": %d},
                 "training": {"optimizer": "sgd", "learningRate": 0.01, "epochs": 5, "seed": 2,
                              "callbacks": {"earlyStopping": {"monitor": "val_mae", "patience": 2}}}}
                """.formatted(ds, base);
        int version = Training.run(mvc, tune); // 202, then SUCCEEDED (it used to be a 400 naming the monitor)
        mvc.perform(get("/models/line-tuned/versions/{v}", version)).andExpect(status().isOk())
                .andExpect(jsonPath("$.metrics.val_mae").isNumber());
    }

    @Test
    void everyViolationComesBackWithTheJobSpecsPaths() throws Exception {
        String ds = Training.upload(mvc, SOFTMAX_CSV);
        submit("""
                {"modelId": "all", "datasetId": "%s", "target": "label", "validation": {"split": 1.5},
                 "preprocessing": {"scaling": "zscore"},
                 "model": {"layers": [{"type": "dense", "units": 2, "activation": "swish"}], "loss": "hinge"},
                 "training": {"optimizer": "lbfgs", "epochs": 3}}
                """.formatted(ds))
                .andExpect(status().isBadRequest())
                .andExpect(Contract.matches())
                .andExpect(jsonPath("$.violations[?(@.field == 'validation.split')]").exists())
                .andExpect(jsonPath("$.violations[?(@.field == 'preprocessing.scaling')].allowed")
                        .value("none, minmax, minmax_symmetric, standardize, pixel"))
                .andExpect(jsonPath("$.violations[?(@.field == 'model.layers[0].activation')].allowed")
                        .value("linear, relu, leaky_relu, elu, sigmoid, tanh, softmax"))
                .andExpect(jsonPath("$.violations[?(@.field == 'model.loss')].allowed")
                        .value("mse, mae, binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy"))
                .andExpect(jsonPath("$.violations[?(@.field == 'training.optimizer')].allowed")
                        .value("sgd, momentum, nesterov, adam, rmsprop, adagrad, adadelta"));
    }

    @Test
    void aJobIsCheckedFromTheCatalogAndAnInternalFailureNamesOnlyTheStep() throws Exception {
        String ds = Training.upload(mvc, SOFTMAX_CSV);
        deleteRecursively(dataDir.datasets().resolve(ds)); // the data file is gone; its description is in the catalog

        String body = submit("""
                {"modelId": "no-file", "datasetId": "%s", "target": "label",
                 "model": {"layers": [{"type": "dense", "units": 3, "activation": "softmax"}], "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "sgd", "learningRate": 0.1, "epochs": 2}}
                """.formatted(ds))
                .andExpect(status().isAccepted())
                .andReturn().getResponse().getContentAsString();
        String id = JsonPath.read(body, "$.id");
        Await.until(() -> jobs.findById(id).orElseThrow().status() == JobStatus.FAILED, Duration.ofSeconds(60), "job to fail");
        String job = mvc.perform(get("/jobs/{id}", id)).andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.error.code").value("INTERNAL"))
                .andReturn().getResponse().getContentAsString();
        String message = JsonPath.read(job, "$.error.message");
        assertThat(message).matches("an internal error stopped the job while loading the training data \\(error id [0-9a-f]{8}\\)")
                .doesNotContain("/").doesNotContain("Exception");
    }

    @Test
    void aDatasetStoredBeforeDescriptionsIsDescribedOnceOnFirstUse() throws Exception {
        String ds = Training.upload(mvc, SOFTMAX_CSV);
        assertThat(jdbc.queryForObject("select description_json from datasets where id = ?", String.class, ds)).contains("\"columns\"");
        jdbc.update("update datasets set description_json = null where id = ?", ds); // as a row from before V2

        submit("""
                {"modelId": "legacy", "datasetId": "%s", "target": "label",
                 "model": {"layers": [{"type": "dense", "units": 4, "activation": "softmax"}], "loss": "sparse_categorical_crossentropy"}}
                """.formatted(ds))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].field").value("model.layers[0].units"))
                .andExpect(jsonPath("$.violations[0].given").value("4"));
        assertThat(jdbc.queryForObject("select description_json from datasets where id = ?", String.class, ds))
                .contains("\"columns\"").contains("\"label\"");
    }

    @Test
    void aValidationSetWithoutAFeatureColumnFailsTheJobNamingItsJsonPath() throws Exception {
        String ds = Training.upload(mvc, LINE_CSV);
        String lacksX2 = Training.upload(mvc, "x1,y\n0,0.5\n1,2.5\n2,4.5\n");
        String body = submit("""
                {"modelId": "line-val", "datasetId": "%s", "target": "y", "validation": {"datasetId": "%s"},
                 "model": {"layers": [{"type": "dense", "units": 1}], "loss": "mse"},
                 "training": {"optimizer": "sgd", "learningRate": 0.01, "epochs": 2}}
                """.formatted(ds, lacksX2))
                .andExpect(status().isAccepted())
                .andReturn().getResponse().getContentAsString();
        String id = JsonPath.read(body, "$.id");
        Await.until(() -> jobs.findById(id).orElseThrow().status() == JobStatus.FAILED, Duration.ofSeconds(60), "job to fail");
        String job = mvc.perform(get("/jobs/{id}", id)).andExpect(status().isOk())
                .andExpect(jsonPath("$.error.code").value("INVALID_SPEC"))
                .andReturn().getResponse().getContentAsString();
        // the engine names the data it encodes "dataset"; EngineTerms names it as the job spec does
        assertThat((String) JsonPath.read(job, "$.error.message")).contains("validation.datasetId").contains("'x2'")
                .doesNotContain("dataset:");
    }

    private static void deleteRecursively(Path dir) throws Exception {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
