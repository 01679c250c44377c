package io.trainserve.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Fashion-MNIST IDX files (gzipped, as Debian ships them) uploaded and trained over HTTP. */
class FashionMnistE2eTest {
    static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");
    static final Api api = new Api();
    static String train, test;

    static String uploadIdx(String prefix) throws Exception {
        Api.Response r = api.upload("/datasets", Map.of(
                "images", Map.entry(prefix + "-images-idx3-ubyte.gz", Files.readAllBytes(DIR.resolve(prefix + "-images-idx3-ubyte.gz"))),
                "labels", Map.entry(prefix + "-labels-idx1-ubyte.gz", Files.readAllBytes(DIR.resolve(prefix + "-labels-idx1-ubyte.gz")))),
                Map.of("name", "fashion-" + prefix));
        assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(201);
        return r.body().get("id").asText();
    }

    @BeforeAll
    static void upload() throws Exception {
        assertThat(Files.exists(DIR)).as("apt-get install dataset-fashion-mnist").isTrue();
        train = uploadIdx("train");
        test = uploadIdx("t10k");
    }

    @Test
    void uploadedImagesDescribeThemselves() {
        JsonNode d = api.get("/datasets/" + train).body();
        assertThat(d.get("rows").asInt()).isEqualTo(60_000);
        assertThat(d.get("format").asText()).containsIgnoringCase("idx");
        assertThat(d.get("classes").size()).isEqualTo(10);
    }

    @Test
    void softmaxReaches83PercentTestAccuracy() {
        JsonNode job = api.train("""
                {"modelId": "e2e-fashion", "datasetId": "%s", "target": "label", "test": {"datasetId": "%s"},
                 "model": {"layers": [{"type": "flatten"}, {"type": "dense", "units": 10, "activation": "softmax"}],
                           "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "adam", "learningRate": 0.001, "epochs": 15, "batchSize": 100, "seed": 1}}
                """.formatted(train, test), Duration.ofMinutes(10));
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("testMetrics").get("accuracy").asDouble()).isGreaterThanOrEqualTo(0.83);

        JsonNode version = api.get("/models/e2e-fashion/versions/" + job.get("modelVersion").asInt()).body();
        assertThat(version.toString()).contains("7850").contains("confusion");
    }

    @Test
    void aRunningJobCanBeCancelled() {
        Api.Response r = api.post("/jobs", """
                {"modelId": "e2e-cancel", "datasetId": "%s", "target": "label",
                 "model": {"layers": [{"type": "dense", "units": 256, "activation": "relu"}, {"type": "dense", "units": 10, "activation": "softmax"}],
                           "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "adam", "epochs": 100, "batchSize": 100}}
                """.formatted(train));
        assertThat(r.status()).isEqualTo(202);
        String id = r.body().get("id").asText();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (!api.get("/jobs/" + id).body().get("status").asText().equals("RUNNING") && Instant.now().isBefore(deadline)) Api.pause(100);

        assertThat(api.postEmpty("/jobs/" + id + "/cancel").status()).isBetween(200, 202);
        JsonNode job = api.awaitEnd(id, Duration.ofMinutes(2));
        assertThat(job.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(api.get("/models/e2e-cancel").status()).isEqualTo(404);
    }
}
