package io.trainserve.service.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
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
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Multi-label classification, as the notes' model-selection table has it: {@code "target"} a list of 0/1
 * columns, a sigmoid output with one unit per label and binary_crossentropy; binary accuracy per label
 * and mean while training, per-label precision/recall/F1 at evaluation, and predictions naming the
 * labels at or above a threshold.
 */
@ApiTest
class MultiLabelApiTest {
    private static final List<String> LABELS = List.of("sunny", "windy", "cold");
    private static final String JOB = """
            {"modelId": "%s", "datasetId": "%s", "target": ["sunny", "windy", "cold"], %s
             "preprocessing": {"scaling": "standardize"},
             "model": {"layers": [{"type": "dense", "units": 16, "activation": "relu"},
                                  {"type": "dense", "units": %d, "activation": "%s"}],
                       "loss": "%s"},
             "training": {"optimizer": "adam", "learningRate": 0.02, "epochs": 60, "batchSize": 32, "seed": 1}}
            """;

    @Autowired
    MockMvc mvc;

    /** 3 labels from thresholds on 4 features: sunny a > 0.5, windy b + c > 1, cold d < 0.3. */
    static String weather(int rows, long seed) {
        Random rng = new Random(seed);
        StringBuilder b = new StringBuilder("a,b,c,d,sunny,windy,cold\n");
        for (int i = 0; i < rows; i++) {
            double a = rng.nextDouble(), bb = rng.nextDouble(), c = rng.nextDouble(), d = rng.nextDouble();
            b.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%d,%d,%d%n", a, bb, c, d, a > 0.5 ? 1 : 0, bb + c > 1 ? 1 : 0, d < 0.3 ? 1 : 0));
        }
        return b.toString();
    }

    private String job(String modelId, String datasetId, String extra, int units, String activation, String loss) {
        return JOB.formatted(modelId, datasetId, extra, units, activation, loss);
    }

    private ResultActions submit(String spec) throws Exception {
        return mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(spec));
    }

    @Test
    void learnsThreeLabelsAndPredictsThemWithAThreshold() throws Exception {
        String train = Training.upload(mvc, weather(400, 1));
        String test = Training.upload(mvc, weather(150, 2));
        int v = Training.run(mvc, job("weather", train, "\"validation\": {\"split\": 0.2}, \"test\": {\"datasetId\": \"" + test + "\"},",
                3, "sigmoid", "binary_crossentropy"));

        String model = mvc.perform(get("/models/weather/versions/{v}", v)).andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.task").value("multi_label"))
                .andExpect(jsonPath("$.target").value(contains("sunny", "windy", "cold")))
                .andExpect(jsonPath("$.classNames").value(contains("sunny", "windy", "cold")))
                .andExpect(jsonPath("$.testMetrics.perClass[*].label").value(contains("sunny", "windy", "cold")))
                .andReturn().getResponse().getContentAsString();
        Map<String, Number> metrics = JsonPath.read(model, "$.metrics");
        assertThat(metrics).containsKeys("binary_accuracy", "binary_accuracy_sunny", "binary_accuracy_windy", "binary_accuracy_cold",
                "val_binary_accuracy_cold").doesNotContainKey("accuracy");
        assertThat(metrics.get("val_binary_accuracy").doubleValue()).isGreaterThanOrEqualTo(0.9);
        assertThat(((Number) JsonPath.read(model, "$.testMetrics.metrics.binary_accuracy")).doubleValue()).isGreaterThanOrEqualTo(0.9);
        List<Number> f1 = JsonPath.read(model, "$.testMetrics.perClass[*].f1");
        assertThat(f1).allSatisfy(x -> assertThat(x.doubleValue()).isGreaterThan(0.8));
        List<Map<String, Number>> history = JsonPath.read(model, "$.history[*].metrics");
        assertThat(history.get(history.size() - 1)).containsKey("val_binary_accuracy_sunny");

        // a = 0.9 (sunny), b + c = 1.6 (windy), d = 0.9 (not cold); then a row near every boundary
        String instances = "{\"instances\": [[0.9, 0.8, 0.8, 0.9], {\"a\": 0.1, \"b\": 0.1, \"c\": 0.2, \"d\": 0.1}, [0.5, 0.5, 0.5, 0.3]]}";
        mvc.perform(post("/models/weather/predict").contentType(MediaType.APPLICATION_JSON).content(instances))
                .andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.predictions[0].labels").value(contains("sunny", "windy")))
                .andExpect(jsonPath("$.predictions[0].probabilities.sunny").value(org.hamcrest.Matchers.greaterThan(0.5), Double.class))
                .andExpect(jsonPath("$.predictions[0].label").doesNotExist())
                .andExpect(jsonPath("$.predictions[1].labels").value(contains("cold")));
        for (double threshold : new double[]{0.05, 0.3, 0.95}) {
            String body = mvc.perform(post("/models/weather/predict").param("threshold", String.valueOf(threshold))
                            .contentType(MediaType.APPLICATION_JSON).content(instances))
                    .andExpect(status().isOk()).andExpect(Contract.matches()).andReturn().getResponse().getContentAsString();
            for (int i = 0; i < 3; i++) {
                Map<String, Number> p = JsonPath.read(body, "$.predictions[" + i + "].probabilities");
                List<String> expected = new ArrayList<>();
                for (String label : LABELS) if (p.get(label).doubleValue() >= threshold) expected.add(label);
                assertThat(JsonPath.<List<String>>read(body, "$.predictions[" + i + "].labels")).as("threshold " + threshold).isEqualTo(expected);
            }
            if (threshold == 0.05) assertThat(JsonPath.<List<String>>read(body, "$.predictions[2].labels")).hasSizeGreaterThanOrEqualTo(2);
            if (threshold == 0.95) assertThat(JsonPath.<List<String>>read(body, "$.predictions[2].labels")).hasSizeLessThanOrEqualTo(1);
        }
        for (String bad : new String[]{"0", "1", "1.5", "-0.2"}) {
            mvc.perform(post("/models/weather/predict").param("threshold", bad).contentType(MediaType.APPLICATION_JSON).content(instances))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.field").value("threshold"));
        }

        mvc.perform(post("/models/weather/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"" + test + "\"}"))
                .andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.perClass[*].label").value(contains("sunny", "windy", "cold")))
                .andExpect(jsonPath("$.perClass[0].support").isNumber())
                .andExpect(jsonPath("$.metrics.binary_accuracy").value(org.hamcrest.Matchers.greaterThanOrEqualTo(0.9), Double.class));

        mvc.perform(post("/models/weather/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"" + test + "\", \"target\": \"sunny\"}"))
                .andExpect(status().isBadRequest()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.field").value("target"));

        mvc.perform(post("/v2/models/weather/infer").contentType(MediaType.APPLICATION_JSON).content("""
                        {"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 4], "data": [0.9, 0.8, 0.8, 0.9]}]}"""))
                .andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.outputs[*].name").value(contains("probabilities", "labels")))
                .andExpect(jsonPath("$.outputs[1].datatype").value("BOOL"))
                .andExpect(jsonPath("$.outputs[1].data").value(contains(true, true, false)));
        for (String export : new String[]{"bundle", "onnx", "keras"}) {
            mvc.perform(get("/models/weather/versions/{v}/" + export, v)).andExpect(status().isOk());
        }

        mvc.perform(post("/models/weather/predict").contentType("text/csv").content("a,b,c,d\n0.9,0.8,0.8,0.9\n"))
                .andExpect(status().isOk())
                .andExpect(result -> assertThat(result.getResponse().getContentAsString().split("\\R"))
                        .satisfies(lines -> assertThat(lines[0]).isEqualTo("labels,prob_sunny,prob_windy,prob_cold"))
                        .satisfies(lines -> assertThat(lines[1]).startsWith("sunny;windy,")));
    }

    @Test
    void aThresholdIsRefusedForAModelThatIsNotMultiLabel() throws Exception {
        String data = Training.upload(mvc, "x,label\n0,0\n1,1\n0.1,0\n0.9,1\n");
        Training.run(mvc, """
                {"modelId": "binary", "datasetId": "%s", "target": "label",
                 "model": {"layers": [{"type": "dense", "units": 1, "activation": "sigmoid"}], "loss": "binary_crossentropy"},
                 "training": {"epochs": 2, "batchSize": 4, "seed": 1}}""".formatted(data));
        mvc.perform(post("/models/binary/predict").param("threshold", "0.3").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"instances\": [[0.5]]}"))
                .andExpect(status().isBadRequest()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.field").value("threshold"))
                .andExpect(jsonPath("$.detail").value(containsString("not multi-label")));
    }

    @Test
    void badMultiLabelJobsNameTheField() throws Exception {
        String data = Training.upload(mvc, weather(40, 3).replaceFirst("\n(.*),1\n", "\n$1,2\n").replaceFirst("\n(.*),0\n", "\n$1,2\n"));
        // a label column with a value that is not 0 or 1
        submit(job("bad", data, "", 3, "sigmoid", "binary_crossentropy"))
                .andExpect(status().isBadRequest()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.violations[0].field").value("target"))
                .andExpect(jsonPath("$.violations[0].given").value(allOf(containsString("'cold'"), containsString("2"))));

        String ok = Training.upload(mvc, weather(40, 4));
        submit(job("bad", ok, "", 2, "sigmoid", "binary_crossentropy"))
                .andExpect(status().isBadRequest()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.violations[0].field").value("model.layers[1].units"))
                .andExpect(jsonPath("$.violations[0].allowed").value(containsString("3")));
        submit(job("bad", ok, "", 3, "softmax", "binary_crossentropy"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[*].field").value(contains("model.layers[1].activation")));
        submit(job("bad", ok, "", 3, "softmax", "categorical_crossentropy"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[*].field").value(allOf(hasItem("model.loss"), hasItem("model.layers[1].activation"))))
                .andExpect(jsonPath("$.detail").value(containsString("binary_crossentropy")));
        submit(job("bad", ok, "", 3, "sigmoid", "binary_crossentropy").replace("\"cold\"]", "\"rainy\"]"))
                .andExpect(status().isBadRequest()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.violations[0].field").value("target"))
                .andExpect(jsonPath("$.violations[0].given").value("\"rainy\""));
        submit(job("bad", ok, "", 3, "sigmoid", "binary_crossentropy").replace("\"cold\"]", "7]"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(containsString("target")));
        submit(job("bad", ok, "", 0, "sigmoid", "binary_crossentropy").replace("[\"sunny\", \"windy\", \"cold\"]", "[]"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].field").value("target"));
        submit(job("bad", ok, "\"training\": {\"classWeight\": \"balanced\"},", 3, "sigmoid", "binary_crossentropy")
                .replace("\"training\": {\"optimizer\"", "\"x\": {\"optimizer\"").replace("\"x\": {", "\"training\": {\"classWeight\": \"balanced\", ")
                .replace("\"training\": {\"classWeight\": \"balanced\"},", ""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[*].field").value(hasItem("training.classWeight")));
        // the accepted job gets its own model id: SweepApiTest, in the same context, expects no job for "bad"
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(job("weather-accepted", ok, "", 3, "sigmoid", "binary_crossentropy")))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.spec.target", hasSize(3)));
    }
}
