package io.trainserve.service.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.support.ApiTest;
import io.trainserve.service.support.Contract;
import io.trainserve.service.support.Training;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Anomaly detection through the API ({@code "task": "anomaly"}): an autoencoder trained on normal rows only
 * (points near a 2-D plane embedded in 8 features) flags rows off the plane at predict, reports precision,
 * recall and ROC-AUC at evaluate, and every wrong part of such a job is a 400 naming its field.
 */
@ApiTest
class AnomalyApiTest {
    private static final int WIDTH = 8;
    private static final double[][] PLANE = {{1, 0.5, -0.3, 0.8, 0.2, -0.6, 0.4, 0.1}, {-0.2, 0.7, 0.9, -0.1, 0.5, 0.3, -0.8, 0.6}};

    @Autowired
    MockMvc mvc;

    /** Points near the plane (noise 0.02) in the data's units (around 10, spread ~3), or pushed off it by ±2.4 per feature. */
    private static List<double[]> points(int n, boolean offPlane, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble(-1, 1), v = rng.nextDouble(-1, 1);
            double[] x = new double[WIDTH];
            for (int j = 0; j < WIDTH; j++) {
                double off = offPlane ? (rng.nextBoolean() ? 0.8 : -0.8) : 0;
                x[j] = 10 + 3 * (u * PLANE[0][j] + v * PLANE[1][j] + rng.nextGaussian() * 0.02 + off);
            }
            rows.add(x);
        }
        return rows;
    }

    private static String csv(List<double[]> rows, List<Integer> labels) {
        StringBuilder csv = new StringBuilder();
        for (int j = 0; j < WIDTH; j++) csv.append(j == 0 ? "" : ",").append("f").append(j + 1);
        csv.append(labels == null ? "\n" : ",is_anomaly\n");
        for (int i = 0; i < rows.size(); i++) {
            double[] x = rows.get(i);
            for (int j = 0; j < WIDTH; j++) csv.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5f", x[j]));
            csv.append(labels == null ? "\n" : "," + labels.get(i) + "\n");
        }
        return csv.toString();
    }

    private static String instances(List<double[]> rows) {
        StringBuilder json = new StringBuilder("{\"instances\": [");
        for (int i = 0; i < rows.size(); i++) {
            json.append(i == 0 ? "[" : ",[");
            for (int j = 0; j < WIDTH; j++) json.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5f", rows.get(i)[j]));
            json.append(']');
        }
        return json.append("]}").toString();
    }

    private static String job(String datasetId, String extra, int lastUnits, String loss) {
        return """
                {"modelId": "planes", "datasetId": "%s", "task": "anomaly", %s
                 "validation": {"split": 0.1}, "preprocessing": {"scaling": "standardize"},
                 "model": {"loss": "%s", "layers": [
                   {"type": "dense", "units": 16, "activation": "tanh"},
                   {"type": "dense", "units": 2, "activation": "linear"},
                   {"type": "dense", "units": 16, "activation": "tanh"},
                   {"type": "dense", "units": %d, "activation": "linear"}]},
                 "training": {"optimizer": "adam", "learningRate": 0.01, "epochs": 60, "batchSize": 32, "seed": 7}}
                """.formatted(datasetId, extra, loss, lastUnits);
    }

    private long flagged(String body) {
        List<Boolean> anomaly = JsonPath.read(body, "$.predictions[*].anomaly");
        return anomaly.stream().filter(Boolean::booleanValue).count();
    }

    @Test
    void anAutoencoderTrainedOnNormalRowsFlagsRowsOffTheirPlane() throws Exception {
        String train = Training.upload(mvc, csv(points(400, false, 1), null));
        int v = Training.run(mvc, job(train, "", WIDTH, "mse"));

        String version = mvc.perform(get("/models/planes/versions/{v}", v)).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.task").value("anomaly"))
                .andExpect(jsonPath("$.target").doesNotExist())
                .andReturn().getResponse().getContentAsString();
        String jobId = JsonPath.read(version, "$.jobId");
        String job = mvc.perform(get("/jobs/{id}", jobId)).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.anomaly.quantile").value(0.99))
                .andExpect(jsonPath("$.metrics.loss").exists())
                .andExpect(jsonPath("$.metrics.val_loss").exists())
                .andExpect(jsonPath("$.spec.task").value("anomaly"))
                .andReturn().getResponse().getContentAsString();
        double threshold = ((Number) JsonPath.read(job, "$.anomaly.threshold")).doubleValue();
        assertThat(threshold).isPositive();
        mvc.perform(get("/jobs/{id}/history", jobId)).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$[59].metrics.loss").exists())
                .andExpect(jsonPath("$[59].metrics.val_loss").exists());

        int n = 200;
        String normal = mvc.perform(post("/models/planes/predict").contentType(MediaType.APPLICATION_JSON).content(instances(points(n, false, 11))))
                .andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.predictions[0].anomalyScore").isNumber())
                .andExpect(jsonPath("$.predictions[0].value").doesNotExist())
                .andReturn().getResponse().getContentAsString();
        String off = mvc.perform(post("/models/planes/predict").contentType(MediaType.APPLICATION_JSON).content(instances(points(n, true, 12))))
                .andExpect(Contract.matches()).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(flagged(normal)).as("false alarms of %d normal rows", n).isLessThanOrEqualTo(n / 10);
        assertThat(flagged(off)).as("off-plane rows caught of %d", n).isGreaterThanOrEqualTo(n * 9 / 10);
        List<Number> scores = JsonPath.read(off, "$.predictions[*].anomalyScore");
        List<Boolean> verdicts = JsonPath.read(off, "$.predictions[*].anomaly");
        for (int i = 0; i < scores.size(); i++) assertThat(verdicts.get(i)).isEqualTo(scores.get(i).doubleValue() > threshold);

        // a labelled set: 1 = anomaly
        List<double[]> mixed = new ArrayList<>(points(60, false, 21));
        mixed.addAll(points(40, true, 22));
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < 100; i++) labels.add(i < 60 ? 0 : 1);
        String labelled = Training.upload(mvc, csv(mixed, labels));
        mvc.perform(post("/models/planes/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"" + labelled + "\", \"labelColumn\": \"is_anomaly\"}"))
                .andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.rows").value(100))
                .andExpect(jsonPath("$.metrics.precision").value(greaterThanOrEqualTo(0.9)))
                .andExpect(jsonPath("$.metrics.recall").value(greaterThanOrEqualTo(0.9)))
                .andExpect(jsonPath("$.metrics.roc_auc").value(greaterThanOrEqualTo(0.95)))
                .andExpect(jsonPath("$.metrics.threshold").value(threshold))
                .andExpect(jsonPath("$.classNames[1]").value("anomaly"))
                .andExpect(jsonPath("$.perClass[1].support").value(40))
                .andExpect(jsonPath("$.perClass[0].support").value(60));

        mvc.perform(post("/models/planes/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"" + labelled + "\"}"))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("labelColumn"));
        mvc.perform(post("/models/planes/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"" + labelled + "\", \"labelColumn\": \"verdict\"}"))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("labelColumn"))
                .andExpect(jsonPath("$.given").value("\"verdict\""));
        labels.set(3, 2);
        String badLabels = Training.upload(mvc, csv(mixed, labels));
        mvc.perform(post("/models/planes/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"" + badLabels + "\", \"labelColumn\": \"is_anomaly\"}"))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("labelColumn"))
                .andExpect(jsonPath("$.allowed").value(containsString("1 for an anomaly")));

        // the network exports as any dense model (ONNX metadata carries the threshold)
        mvc.perform(get("/models/planes/versions/{v}/keras", v)).andExpect(status().isOk());
        mvc.perform(get("/models/planes/versions/{v}/onnx", v)).andExpect(status().isOk());

        // the Open Inference Protocol: an FP32 score and a BOOL verdict per row
        double[] one = points(1, true, 41).get(0);
        StringBuilder data = new StringBuilder();
        for (double x : one) data.append(data.isEmpty() ? "" : ",").append(String.format(Locale.ROOT, "%.5f", x));
        mvc.perform(post("/v2/models/planes/infer").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 8], \"datatype\": \"FP32\", \"data\": [" + data + "]}]}"))
                .andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.outputs[0].name").value("anomaly_score"))
                .andExpect(jsonPath("$.outputs[1].name").value("anomaly"))
                .andExpect(jsonPath("$.outputs[1].datatype").value("BOOL"))
                .andExpect(jsonPath("$.outputs[1].data[0]").value(true));
        mvc.perform(get("/v2/models/planes")).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.outputs[1].name").value("anomaly"));

        // a downloaded bundle restored under another id keeps the threshold: the same answers
        byte[] bundle = mvc.perform(get("/models/planes/versions/{v}/bundle", v)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsByteArray();
        mvc.perform(multipart("/models/planes-copy/versions").file(new MockMultipartFile("file", "planes.zip", "application/zip", bundle)))
                .andExpect(Contract.uploadMatches()).andExpect(status().isCreated()).andExpect(jsonPath("$.task").value("anomaly"));
        String copied = mvc.perform(post("/models/planes-copy/predict").contentType(MediaType.APPLICATION_JSON).content(instances(points(n, true, 12))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(JsonPath.<List<Object>>read(copied, "$.predictions")).isEqualTo(JsonPath.<List<Object>>read(off, "$.predictions"));

        // CSV in, CSV out: the same two fields per row
        String answer = mvc.perform(post("/models/planes/predict").contentType("text/csv").content(csv(points(3, true, 31), null)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(answer.lines().findFirst().orElseThrow()).isEqualTo("anomalyScore,anomaly");
        assertThat(answer.lines().skip(1).map(l -> l.split(",")[1])).containsOnly("true");
    }

    @Test
    void aFixedThresholdIsKeptAsGiven() throws Exception {
        String train = Training.upload(mvc, csv(points(60, false, 2), null));
        int v = Training.run(mvc, job(train, "\"anomaly\": {\"threshold\": 0.5},", WIDTH, "mse").replace("\"epochs\": 60", "\"epochs\": 2"));
        String jobId = JsonPath.read(mvc.perform(get("/models/planes/versions/{v}", v)).andReturn().getResponse().getContentAsString(), "$.jobId");
        mvc.perform(get("/jobs/{id}", jobId)).andExpect(Contract.matches())
                .andExpect(jsonPath("$.anomaly.threshold").value(0.5))
                .andExpect(jsonPath("$.anomaly.quantile").doesNotExist());
    }

    @Test
    void everyWrongPartOfAnAnomalyJobIsAProblemNamingItsField() throws Exception {
        String data = Training.upload(mvc, csv(points(20, false, 3), List.of(0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1)));
        Map<String, String> cases = Map.of(
                "target", job(data, "\"target\": \"is_anomaly\",", WIDTH + 1, "mse"),
                "model.layers[3].units", job(data, "\"preprocessing\": null, \"features\": null,", 3, "mse")
                        .replace("\"preprocessing\": null, \"features\": null,", ""),
                "model.loss", job(data, "", WIDTH + 1, "mae"),
                "anomaly.quantile", job(data, "\"anomaly\": {\"quantile\": 1.5},", WIDTH + 1, "mse"),
                "anomaly", job(data, "\"anomaly\": {\"quantile\": 0.9, \"threshold\": 0.2},", WIDTH + 1, "mse"),
                "task", job(data, "", WIDTH + 1, "mse").replace("\"task\": \"anomaly\"", "\"task\": \"clustering\""));
        // the dataset has 9 columns (8 features and is_anomaly): without a target all 9 are reconstructed
        for (Map.Entry<String, String> c : cases.entrySet()) {
            mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(c.getValue()))
                    .andExpect(Contract.responseMatches()).andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.violations[?(@.field == '" + c.getKey() + "')]").exists());
        }
        String classifier = """
                {"modelId": "plain", "datasetId": "%s", "target": "is_anomaly", "anomaly": {"quantile": 0.9},
                 "model": {"loss": "sparse_categorical_crossentropy", "layers": [{"type": "dense", "units": 2, "activation": "softmax"}]}}
                """.formatted(data);
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(classifier))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].field").value("anomaly"))
                .andExpect(jsonPath("$.violations[0].allowed").value(containsString("task")));
    }
}
