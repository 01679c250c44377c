package io.trainserve.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trains and predicts, then scrapes /actuator/prometheus: every metric the Grafana dashboard and
 * the Prometheus config rely on exists, with its labels, and the latency histogram yields percentiles.
 */
class MetricsE2eTest {
    static final Api api = new Api();
    static String scrape;

    @BeforeAll
    static void trainPredictScrape() throws Exception {
        String dataset = api.uploadCsv("metrics", Files.readString(TrainAndPredictE2eTest.EXAMPLES.resolve("softmax8.csv")));
        JsonNode job = api.train("""
                {"modelId": "e2e-metrics", "datasetId": "%s", "target": "y", "validation": {"split": 0.25},
                 "model": {"layers": [{"type": "dense", "units": 3, "activation": "softmax"}], "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "adam", "learningRate": 0.1, "epochs": 5, "batchSize": 8}}
                """.formatted(dataset), Duration.ofMinutes(2));
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        for (int i = 0; i < 20; i++) {
            assertThat(api.post("/models/e2e-metrics/predict", "{\"instances\": [[1,2,1,1],[1,7,7,7]]}").status()).isEqualTo(200);
        }
        assertThat(api.post("/models/e2e-metrics/predict", "{\"instances\": [[1,2]]}").status()).isEqualTo(400);
        Api.Response r = api.get("/actuator/prometheus");
        assertThat(r.status()).isEqualTo(200);
        scrape = new String(r.raw(), StandardCharsets.UTF_8);
    }

    static Set<String> metricNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\b((?:trainserve|jvm|process|system|http)_[a-z0-9_]+)").matcher(text);
        while (m.find()) names.add(m.group(1));
        return names;
    }

    static boolean exposed(String name) {
        return scrape.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " "));
    }

    @Test
    void everyMetricTheDashboardQueriesIsExposed() throws Exception {
        Set<String> used = metricNames(Files.readString(DeploymentFilesTest.ROOT.resolve("deploy/grafana/dashboards/trainserve.json")));
        assertThat(used).hasSizeGreaterThan(15);
        assertThat(used).allSatisfy(name -> assertThat(exposed(name)).as("%s exposed at /actuator/prometheus", name).isTrue());
    }

    @Test
    void prometheusScrapesThePathThatServesThem() throws Exception {
        assertThat(Files.readString(DeploymentFilesTest.ROOT.resolve("deploy/prometheus.yml"))).contains("metrics_path: /actuator/prometheus");
        assertThat(scrape).contains("# TYPE");
    }

    @Test
    void labelsAreTheBoundedOnes() {
        assertThat(scrape).containsPattern("trainserve_predictions_total\\{[^}]*model=\"e2e-metrics\"[^}]*outcome=\"success\"[^}]*version=\"1\"");
        assertThat(scrape).containsPattern("trainserve_predictions_total\\{[^}]*model=\"e2e-metrics\"[^}]*outcome=\"invalid_input\"");
        assertThat(scrape).containsPattern("trainserve_jobs_finished_total\\{[^}]*status=\"succeeded\"");
        assertThat(scrape).containsPattern("trainserve_epoch_duration_seconds_count\\{[^}]*model=\"e2e-metrics\"[^}]*\\} 5");
        assertThat(scrape).containsPattern("trainserve_training_loss\\{[^}]*model=\"e2e-metrics\"[^}]*split=\"validation\"");
        assertThat(scrape).containsPattern("trainserve_training_accuracy\\{[^}]*model=\"e2e-metrics\"[^}]*split=\"train\"");
        assertThat(scrape).containsPattern("trainserve_dataset_uploads_total\\{[^}]*format=\"csv\"[^}]*outcome=\"accepted\"");
        assertThat(scrape).containsPattern("trainserve_jobs_queued\\{");
        // never a job or request id as a label
        assertThat(scrape).doesNotContainPattern("trainserve_[a-z_]+\\{[^}]*(job_?id|request)=");
    }

    @Test
    void livenessAndReadinessAreUpWithTheDatabaseAndDataDirectoryInReadiness() {
        Api.Response live = api.get("/actuator/health/liveness");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.body().get("status").asText()).isEqualTo("UP");
        Api.Response ready = api.get("/actuator/health/readiness");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().get("status").asText()).isEqualTo("UP");
        assertThat(ready.body().get("components").has("db")).isTrue();
        assertThat(ready.body().get("components").get("dataDirectory").get("status").asText()).isEqualTo("UP");
    }

    @Test
    void latencyHistogramGivesPercentiles() {
        List<String> buckets = scrape.lines()
                .filter(l -> l.startsWith("trainserve_prediction_latency_seconds_bucket{") && l.contains("model=\"e2e-metrics\"")
                        && l.contains("version=\"1\"")).toList();
        assertThat(buckets).hasSizeGreaterThan(5);
        double total = count(buckets.stream().filter(l -> l.contains("le=\"+Inf\"")).findFirst().orElseThrow());
        assertThat(total).isGreaterThanOrEqualTo(20);
        // p99 is the smallest finite bucket bound holding 99% of the observations
        double p99 = buckets.stream().filter(l -> !l.contains("le=\"+Inf\"") && count(l) >= 0.99 * total)
                .mapToDouble(MetricsE2eTest::le).min().orElse(Double.POSITIVE_INFINITY);
        assertThat(p99).isGreaterThan(0).isLessThan(10);
    }

    static double count(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    static double le(String line) {
        Matcher m = Pattern.compile("le=\"([^\"]+)\"").matcher(line);
        assertThat(m.find()).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
