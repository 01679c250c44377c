package io.trainserve.e2e;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The lecture notes' flows, through the HTTP API of the packaged service. */
class TrainAndPredictE2eTest {
    static final Path EXAMPLES = Path.of(System.getProperty("trainserve.examples", "examples"));
    final Api api = new Api();

    static String read(String file) throws Exception {
        return Files.readString(EXAMPLES.resolve(file));
    }

    static List<String> labels(JsonNode predictResponse) {
        List<String> labels = new ArrayList<>();
        predictResponse.get("predictions").forEach(p -> labels.add(p.get("label").asText()));
        return labels;
    }

    @Test
    void softmaxOfTheNotesTrainsToFullAccuracyAndPredictsTheirClasses() throws Exception {
        String dataset = api.uploadCsv("softmax8", read("softmax8.csv"));
        JsonNode job = api.train("""
                {"modelId": "e2e-softmax", "datasetId": "%s", "target": "y",
                 "model": {"layers": [{"type": "dense", "units": 3, "activation": "softmax"}], "loss": "categorical_crossentropy"},
                 "training": {"optimizer": "sgd", "learningRate": 0.1, "epochs": 2000, "batchSize": 8, "seed": 1}}
                """.formatted(dataset), Duration.ofMinutes(3));

        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("metrics").get("accuracy").asDouble()).isEqualTo(1.0);
        assertThat(job.get("progress").asDouble()).isEqualTo(1.0);
        assertThat(job.get("epoch").asInt()).isEqualTo(2000);
        int version = job.get("modelVersion").asInt();

        Api.Response p = api.post("/models/e2e-softmax/predict?version=" + version, """
                {"instances": [[1,2,1,1],[2,1,3,2],[3,1,3,4],[4,1,5,5],[1,7,5,5],[1,2,5,6],[1,6,6,6],[1,7,7,7]]}""");
        assertThat(p.status()).as(String.valueOf(p.body())).isEqualTo(200);
        assertThat(labels(p.body())).containsExactly("2", "2", "2", "1", "1", "1", "0", "0");
        assertThat(p.body().get("predictions").get(0).get("probabilities").size()).isEqualTo(3);

        Api.Response byName = api.post("/models/e2e-softmax/predict", """
                {"instances": [{"x1": 1, "x2": 7, "x3": 7, "x4": 7}]}""");
        assertThat(labels(byName.body())).containsExactly("0");

        JsonNode history = api.get("/jobs/" + job.get("id").asText() + "/history").body();
        JsonNode rows = history.isArray() ? history : history.get("epochs");
        assertThat(rows.size()).isEqualTo(2000);
    }

    @Test
    void xorIsLearnedOverHttp() throws Exception {
        String dataset = api.uploadCsv("xor", "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n");
        JsonNode job = api.train("""
                {"modelId": "e2e-xor", "datasetId": "%s", "target": "y",
                 "model": {"layers": [{"type": "dense", "units": 8, "activation": "relu", "init": "he"},
                                      {"type": "dense", "units": 1, "activation": "sigmoid"}], "loss": "binary_crossentropy"},
                 "training": {"optimizer": "adam", "learningRate": 0.05, "epochs": 300, "batchSize": 4, "seed": 7}}
                """.formatted(dataset), Duration.ofMinutes(2));
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");

        Api.Response p = api.post("/models/e2e-xor/predict", """
                {"instances": [[0,0],[0,1],[1,0],[1,1]]}""");
        assertThat(labels(p.body())).containsExactly("0", "1", "1", "0");
    }

    @Test
    void quizScoreRegressionPredictsAValue() throws Exception {
        String dataset = api.uploadCsv("quiz", "quiz1,quiz2,quiz3,final\n73,80,75,152\n93,88,93,185\n89,91,90,180\n96,98,100,196\n73,66,70,142\n");
        JsonNode job = api.train("""
                {"modelId": "e2e-quiz", "datasetId": "%s", "target": "final", "preprocessing": {"scaling": "standardize"},
                 "model": {"layers": [{"type": "dense", "units": 1}], "loss": "mse"},
                 "training": {"optimizer": "sgd", "learningRate": 0.1, "epochs": 100, "batchSize": 5, "shuffle": false}}
                """.formatted(dataset), Duration.ofMinutes(2));
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");

        Api.Response p = api.post("/models/e2e-quiz/predict", """
                {"instances": [{"quiz1": 93, "quiz2": 88, "quiz3": 93}]}""");
        assertThat(p.status()).as(String.valueOf(p.body())).isEqualTo(200);
        assertThat(p.body().get("predictions").get(0).get("value").asDouble()).isBetween(180.0, 190.0);
    }

    @Test
    void tooHighALearningRateFailsAsDiverged() throws Exception {
        String dataset = api.uploadCsv("lr", "a,b,c,y\n1,2,1,2\n1,3,2,2\n1,3,4,2\n1,5,5,1\n1,7,5,1\n1,2,5,1\n1,6,6,0\n1,7,7,0\n");
        JsonNode job = api.train("""
                {"modelId": "e2e-diverge", "datasetId": "%s", "target": "y",
                 "model": {"layers": [{"type": "dense", "units": 3, "activation": "softmax"}], "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "sgd", "learningRate": 100000, "epochs": 20, "batchSize": 8}}
                """.formatted(dataset), Duration.ofMinutes(2));
        assertThat(job.get("status").asText()).isEqualTo("FAILED");
        assertThat(job.get("error").get("code").asText()).isEqualTo("DIVERGED");
        assertThat(job.get("error").get("message").asText()).contains("learning rate");
        assertThat(api.get("/models/e2e-diverge").status()).isEqualTo(404);
    }

    @Test
    void twoJobsOnOneModelGiveVersionsOneAndTwo() throws Exception {
        String dataset = api.uploadCsv("versions", read("softmax8.csv"));
        String spec = """
                {"modelId": "e2e-versions", "datasetId": "%s", "target": "y",
                 "model": {"layers": [{"type": "dense", "units": 3, "activation": "softmax"}], "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "adam", "learningRate": 0.1, "epochs": %d, "batchSize": 8}}""";
        JsonNode first = api.train(spec.formatted(dataset, 5), Duration.ofMinutes(2));
        JsonNode second = api.train(spec.formatted(dataset, 10), Duration.ofMinutes(2));
        assertThat(first.get("modelVersion").asInt()).isEqualTo(1);
        assertThat(second.get("modelVersion").asInt()).isEqualTo(2);

        JsonNode model = api.get("/models/e2e-versions").body();
        assertThat(model.get("versions").size()).isEqualTo(2);
        assertThat(api.post("/models/e2e-versions/predict?version=1", "{\"instances\": [[1,2,1,1]]}").body().get("version").asInt()).isEqualTo(1);
        assertThat(api.post("/models/e2e-versions/predict", "{\"instances\": [[1,2,1,1]]}").body().get("version").asInt()).isEqualTo(2);
    }

    @Test
    void aBundleDownloadedAndRestoredPredictsIdentically() throws Exception {
        String dataset = api.uploadCsv("bundle", read("softmax8.csv"));
        JsonNode job = api.train("""
                {"modelId": "e2e-bundle", "datasetId": "%s", "target": "y",
                 "model": {"layers": [{"type": "dense", "units": 6, "activation": "tanh"}, {"type": "dense", "units": 3, "activation": "softmax"}],
                           "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "adam", "learningRate": 0.05, "epochs": 50, "batchSize": 4}}
                """.formatted(dataset), Duration.ofMinutes(2));
        int v = job.get("modelVersion").asInt();
        Api.Response bundle = api.get("/models/e2e-bundle/versions/" + v + "/bundle");
        assertThat(bundle.status()).isEqualTo(200);
        assertThat(bundle.raw().length).isGreaterThan(100);

        Api.Response restored = api.upload("/models/e2e-bundle/versions", Map.of("file", Map.entry("model.zip", bundle.raw())), Map.of());
        assertThat(restored.status()).as(String.valueOf(restored.body())).isEqualTo(201);
        int restoredVersion = restored.body().get("version").asInt();
        assertThat(restoredVersion).isEqualTo(v + 1);

        String rows = "{\"instances\": [[1,2,1,1],[4,1,5,5],[1,7,7,7],[2.5,3,4,1]]}";
        JsonNode a = api.post("/models/e2e-bundle/predict?version=" + v, rows).body().get("predictions");
        JsonNode b = api.post("/models/e2e-bundle/predict?version=" + restoredVersion, rows).body().get("predictions");
        assertThat(b).isEqualTo(a);
    }

    @Test
    void fineTuningFromAVersionFreezesItsFirstLayer() throws Exception {
        String dataset = api.uploadCsv("finetune", read("softmax8.csv"));
        JsonNode base = api.train("""
                {"modelId": "e2e-base", "datasetId": "%s", "target": "y",
                 "model": {"layers": [{"type": "dense", "units": 6, "activation": "relu"}, {"type": "dense", "units": 3, "activation": "softmax"}],
                           "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "adam", "learningRate": 0.05, "epochs": 20, "batchSize": 8}}
                """.formatted(dataset), Duration.ofMinutes(2));
        JsonNode tuned = api.train("""
                {"modelId": "e2e-tuned", "datasetId": "%s", "target": "y", "baseModel": {"modelId": "e2e-base", "version": %d, "freezeLayers": 1},
                 "training": {"optimizer": "adam", "learningRate": 0.01, "epochs": 20, "batchSize": 8}}
                """.formatted(dataset, base.get("modelVersion").asInt()), Duration.ofMinutes(2));
        assertThat(tuned.get("status").asText()).as(tuned.toString()).isEqualTo("SUCCEEDED");
        JsonNode version = api.get("/models/e2e-tuned/versions/" + tuned.get("modelVersion").asInt()).body();
        assertThat(version.toString()).contains("e2e-base");
    }

    @Test
    void predictWithTheWrongWidthIsAProblemNamingTheInstance() throws Exception {
        String dataset = api.uploadCsv("width", read("softmax8.csv"));
        api.train("""
                {"modelId": "e2e-width", "datasetId": "%s", "target": "y",
                 "model": {"layers": [{"type": "dense", "units": 3, "activation": "softmax"}], "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "adam", "epochs": 2, "batchSize": 8}}
                """.formatted(dataset), Duration.ofMinutes(2));
        Api.Response r = api.post("/models/e2e-width/predict", "{\"instances\": [[1,2,1,1],[1,2,3]]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).contains("application/problem+json");
        assertThat(r.body().toString()).contains("instances[1]").contains("4");
    }
}
