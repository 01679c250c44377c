package io.trainserve.service.prediction;

import static io.trainserve.service.support.TestFiles.SOFTMAX_CSV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.support.ApiTest;
import io.trainserve.service.support.Contract;
import io.trainserve.service.support.TestFiles;
import io.trainserve.service.support.Training;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

@ApiTest
class PredictApiTest {
    @Autowired
    MockMvc mvc;

    String datasetId;

    @BeforeEach
    void upload() throws Exception {
        datasetId = Training.upload(mvc, SOFTMAX_CSV);
    }

    ResultActions predict(String model, String body, String... version) throws Exception {
        var request = post("/models/{id}/predict", model).contentType(MediaType.APPLICATION_JSON).content(body);
        if (version.length > 0) request.param("version", version[0]);
        return mvc.perform(request);
    }

    @Test
    void predictsByPositionAndByColumnName() throws Exception {
        int v = Training.softmax(mvc, "notes", datasetId, null, 0.1, 300);

        predict("notes", """
                {"instances": [[1, 1], [1, 2], [2, 1], [5, 5], [5, 6], [6, 5], [9, 9], [9, 8]]}""")
                .andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.modelId").value("notes"))
                .andExpect(jsonPath("$.version").value(v))
                .andExpect(jsonPath("$.predictions[*].label").value(contains("2", "2", "2", "1", "1", "1", "0", "0")))
                .andExpect(jsonPath("$.predictions[*].classIndex").value(contains(2, 2, 2, 1, 1, 1, 0, 0)))
                .andExpect(jsonPath("$.predictions[0].probabilities.2").value(greaterThan(0.5)))
                .andExpect(jsonPath("$.predictions[0].value").doesNotExist());

        String byName = predict("notes", """
                {"instances": [{"x1": 1, "x2": 1}, {"x2": 5.5, "x1": 5.5}, {"x1": 9.0, "x2": 8.5}]}""")
                .andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.predictions[*].label").value(contains("2", "1", "0")))
                .andReturn().getResponse().getContentAsString();
        Map<String, Number> p = JsonPath.read(byName, "$.predictions[1].probabilities");
        assertThat(p).containsOnlyKeys("0", "1", "2");
        assertThat(p.values().stream().mapToDouble(Number::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));

        // the same row by position and by name gives the same probabilities
        String byPosition = predict("notes", "{\"instances\": [[5.5, 5.5]]}").andReturn().getResponse().getContentAsString();
        assertThat((Object) JsonPath.read(byPosition, "$.predictions[0].probabilities")).isEqualTo(p);
    }

    @Test
    void latestVersionUnlessOneIsNamed() throws Exception {
        int good = Training.softmax(mvc, "two", datasetId, null, 0.1, 300);
        int barely = Training.softmax(mvc, "two", datasetId, null, 0.0001, 1);
        assertThat(barely).isEqualTo(good + 1);
        String row = "{\"instances\": [[9, 9]]}";

        String latest = predict("two", row).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.version").value(barely)).andReturn().getResponse().getContentAsString();
        String named = predict("two", row, String.valueOf(barely)).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.version").value(barely)).andReturn().getResponse().getContentAsString();
        String first = predict("two", row, String.valueOf(good)).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.version").value(good))
                .andExpect(jsonPath("$.predictions[0].label").value("0"))
                .andExpect(jsonPath("$.predictions[0].probabilities.0").value(greaterThan(0.8)))
                .andReturn().getResponse().getContentAsString();
        Object latestP = JsonPath.read(latest, "$.predictions[0].probabilities");
        assertThat(latestP).isEqualTo(JsonPath.read(named, "$.predictions[0].probabilities"))
                .isNotEqualTo(JsonPath.read(first, "$.predictions[0].probabilities"));
        predict("two", row, "99").andExpect(Contract.matches()).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("not-found"))
                .andExpect(jsonPath("$.detail").value(containsString("two v99")));
        predict("two", row, "latest").andExpect(Contract.responseMatches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("version"));
    }

    @Test
    void badInstancesAre400ProblemsNamingTheInstanceAndField() throws Exception {
        Training.softmax(mvc, "strict", datasetId, null, 0.1, 5);

        predict("strict", "{\"instances\": [[1, 1], [1, 2, 3]]}").andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("invalid-input"))
                .andExpect(jsonPath("$.field").value("instances[1]"))
                .andExpect(jsonPath("$.given").value(containsString("3")))
                .andExpect(jsonPath("$.allowed").value(containsString("2")))
                .andExpect(jsonPath("$.detail").value(containsString("x1")));
        predict("strict", "{\"instances\": [{\"x1\": 1, \"x3\": 2}]}").andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("instances[0].x3"))
                .andExpect(jsonPath("$.allowed").value(containsString("x2")));
        predict("strict", "{\"instances\": [{\"x1\": 1}]}").andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("instances[0].x2"));
        predict("strict", "{\"instances\": [[1, \"five\"]]}").andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("instances[0].x2"))
                .andExpect(jsonPath("$.given").value("\"five\""));
        predict("strict", "{\"instances\": [[1, 1], 7]}").andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("instances[1]"));
        predict("strict", "{\"instances\": []}").andExpect(Contract.responseMatches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("instances"));
        predict("strict", "{}").andExpect(Contract.responseMatches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("instances"));
        predict("strict", "{\"rows\": [[1, 1]]}").andExpect(Contract.responseMatches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("unknown-property"));
        predict("strict", "{\"instances\": [[1, 1]").andExpect(Contract.responseMatches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("malformed-json"));

        String tooMany = "{\"instances\": [" + String.join(",", Collections.nCopies(10_001, "[1,1]")) + "]}";
        predict("strict", tooMany).andExpect(Contract.responseMatches()).andExpect(status().isContentTooLarge())
                .andExpect(jsonPath("$.code").value("too-large"))
                .andExpect(jsonPath("$.field").value("instances"))
                .andExpect(jsonPath("$.allowed").value(containsString("10000")));
    }

    @Test
    void imageModelsTakeFlatOrNestedPixelsAndEvaluateOnIdxData() throws Exception {
        String images = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart("/datasets")
                        .file(new org.springframework.mock.web.MockMultipartFile("images", "i.idx", "application/octet-stream", TestFiles.idxImages(12)))
                        .file(new org.springframework.mock.web.MockMultipartFile("labels", "l.idx", "application/octet-stream", TestFiles.idxLabels(12, 3))))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        String imagesId = JsonPath.read(images, "$.id");
        int v = Training.run(mvc, """
                {"modelId": "pixels", "datasetId": "%s",
                 "model": {"layers": [{"type": "flatten"}, {"type": "dense", "units": 3, "activation": "softmax"}],
                           "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "adam", "learningRate": 0.01, "epochs": 3, "batchSize": 4, "seed": 1}}
                """.formatted(imagesId));

        mvc.perform(get("/models/pixels/versions/{v}", v)).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.inputSchema.imageShape").value(contains(1, 2, 3)))
                .andExpect(jsonPath("$.inputSchema.width").value(6))
                .andExpect(jsonPath("$.preprocessing.scaling").value("pixel"));

        String flat = predict("pixels", "{\"instances\": [[0, 1, 2, 3, 4, 5]]}").andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.predictions[0].probabilities.*", hasSize(3)))
                .andReturn().getResponse().getContentAsString();
        String nested = predict("pixels", "{\"instances\": [[[0, 1, 2], [3, 4, 5]]]}").andExpect(Contract.matches()).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat((Object) JsonPath.read(nested, "$.predictions")).isEqualTo(JsonPath.read(flat, "$.predictions"));

        predict("pixels", "{\"instances\": [[0, 1, 2, 3, 4, 5], [[0, 1, 2], [3, 4]]]}").andExpect(Contract.matches())
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value(containsString("instances[1]")))
                .andExpect(jsonPath("$.allowed").value(containsString("3")));
        predict("pixels", "{\"instances\": [[0, 1, 2]]}").andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("instances[0]"));

        mvc.perform(post("/models/pixels/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"" + imagesId + "\"}"))
                .andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.rows").value(12))
                .andExpect(jsonPath("$.classNames").value(contains("0", "1", "2")))
                .andExpect(jsonPath("$.confusionMatrix", hasSize(3)));
        mvc.perform(post("/models/pixels/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"" + datasetId + "\"}"))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("datasetId"));
    }

    @Test
    void regressionModelsAnswerWithValues() throws Exception {
        String line = Training.upload(mvc, "x,y\n0,1\n1,3\n2,5\n3,7\n4,9\n5,11\n");
        int v = Training.run(mvc, """
                {"modelId": "line", "datasetId": "%s", "target": "y",
                 "model": {"layers": [{"type": "dense", "units": 1, "activation": "linear"}], "loss": "mse"},
                 "training": {"optimizer": "adam", "learningRate": 0.1, "epochs": 400, "batchSize": 6, "seed": 1}}
                """.formatted(line));

        predict("line", "{\"instances\": [[10], {\"x\": 2.5}]}").andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.predictions[0].value").value(closeTo(21.0, 1.5)))
                .andExpect(jsonPath("$.predictions[1].value").value(closeTo(6.0, 1.0)))
                .andExpect(jsonPath("$.predictions[0].label").doesNotExist())
                .andExpect(jsonPath("$.predictions[0].probabilities").doesNotExist());
        mvc.perform(get("/models/line/versions/{v}", v)).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.task").value("regression"))
                .andExpect(jsonPath("$.classNames").isEmpty());
        mvc.perform(post("/models/line/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"" + line + "\"}"))
                .andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.rows").value(6))
                .andExpect(jsonPath("$.metrics.mse").isNumber())
                .andExpect(jsonPath("$.confusionMatrix").doesNotExist());
        String noX = Training.upload(mvc, "z,y\n0,1\n1,3\n");
        mvc.perform(post("/models/line/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"" + noX + "\"}"))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("datasetId"))
                .andExpect(jsonPath("$.given").value(containsString("without column 'x'")));
    }

    @Test
    void unknownModelIs404() throws Exception {
        predict("nobody", "{\"instances\": [[1, 1]]}").andExpect(Contract.matches()).andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("not-found"))
                .andExpect(jsonPath("$.resource").value("model"));
    }

    @Test
    void evaluatesAVersionOnAStoredDatasetWithAConfusionMatrix() throws Exception {
        int v = Training.softmax(mvc, "judged", datasetId, null, 0.1, 300);
        String shuffled = Training.upload(mvc, """
                x2,label,x1
                1,2,1
                5,1,5
                9,0,9
                8,0,9
                1,0,2
                """);

        mvc.perform(post("/models/judged/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"" + datasetId + "\"}"))
                .andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.modelId").value("judged"))
                .andExpect(jsonPath("$.version").value(v))
                .andExpect(jsonPath("$.datasetId").value(datasetId))
                .andExpect(jsonPath("$.rows").value(8))
                .andExpect(jsonPath("$.metrics.accuracy").value(1.0))
                .andExpect(jsonPath("$.metrics.loss").isNumber())
                .andExpect(jsonPath("$.classNames").value(contains("0", "1", "2")))
                .andExpect(jsonPath("$.perClass", hasSize(3)))
                .andExpect(jsonPath("$.perClass[2].support").value(3))
                .andExpect(jsonPath("$.confusionMatrix[0]").value(contains(2, 0, 0)))
                .andExpect(jsonPath("$.confusionMatrix[1]").value(contains(0, 3, 0)))
                .andExpect(jsonPath("$.confusionMatrix[2]").value(contains(0, 0, 3)))
                .andExpect(jsonPath("$.confusionMatrix", hasSize(3)));

        // columns in another order are matched by name; the last row (actually near class 2) is labelled 0: one miss
        mvc.perform(post("/models/judged/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"" + shuffled + "\"}"))
                .andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.rows").value(5))
                .andExpect(jsonPath("$.metrics.accuracy").value(closeTo(0.8, 1e-9)))
                .andExpect(jsonPath("$.confusionMatrix[0]").value(contains(2, 0, 1)))
                .andExpect(jsonPath("$.confusionMatrix[1]").value(contains(0, 1, 0)))
                .andExpect(jsonPath("$.confusionMatrix[2]").value(contains(0, 0, 1)));
    }

    @Test
    void evaluateRejectsUnknownAndIncompatibleDatasets() throws Exception {
        int v = Training.softmax(mvc, "picky", datasetId, null, 0.1, 3);
        String other = Training.upload(mvc, "a,b,label\n1,2,0\n3,4,1\n");

        mvc.perform(post("/models/picky/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"nope\"}"))
                .andExpect(Contract.matches()).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.field").value("datasetId"));
        mvc.perform(post("/models/picky/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"" + other + "\"}"))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("datasetId"))
                .andExpect(jsonPath("$.given").value(containsString("x1")));
        mvc.perform(post("/models/picky/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"" + datasetId + "\", \"target\": \"nolabel\"}"))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("target"));
        mvc.perform(post("/models/picky/versions/{v}/evaluate", v + 5).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"" + datasetId + "\"}"))
                .andExpect(Contract.matches()).andExpect(status().isNotFound());
        mvc.perform(post("/models/picky/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(Contract.responseMatches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("datasetId"));
    }

    @Test
    void predictionsAreCountedTimedAndSizedInPrometheus() throws Exception {
        int v = Training.softmax(mvc, "watched", datasetId, null, 0.1, 3);
        predict("watched", "{\"instances\": [[1, 1], [9, 9], [5, 5]]}").andExpect(status().isOk());
        predict("watched", "{\"instances\": [[1, 1]]}").andExpect(status().isOk());
        predict("watched", "{\"instances\": [[1]]}").andExpect(status().isBadRequest());
        predict("watched", "{\"instances\": [[1, 1]]}", "42").andExpect(status().isNotFound());
        predict("made-up-" + System.nanoTime(), "{\"instances\": [[1, 1]]}").andExpect(status().isNotFound());

        String scrape = mvc.perform(get("/actuator/prometheus")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        List<String> lines = scrape.lines().toList();

        assertThat(sample(lines, "trainserve_predictions_total", "model=\"watched\"", "version=\"" + v + "\"", "outcome=\"success\""))
                .isEqualTo(2.0);
        assertThat(sample(lines, "trainserve_predictions_total", "model=\"watched\"", "version=\"" + v + "\"", "outcome=\"invalid_input\""))
                .isEqualTo(1.0);
        assertThat(sample(lines, "trainserve_predictions_total", "model=\"watched\"", "version=\"none\"", "outcome=\"not_found\""))
                .isEqualTo(1.0);
        assertThat(sample(lines, "trainserve_predictions_total", "model=\"unknown\"", "outcome=\"not_found\"")).isGreaterThanOrEqualTo(1.0);
        assertThat(scrape).doesNotContain("made-up-");

        assertThat(sample(lines, "trainserve_prediction_latency_seconds_count", "model=\"watched\"", "version=\"" + v + "\"")).isEqualTo(2.0);
        assertThat(lines).anyMatch(l -> l.startsWith("trainserve_prediction_latency_seconds_bucket{") && l.contains("model=\"watched\"")
                && l.contains("version=\"" + v + "\"") && l.contains("le=\"+Inf\""));
        assertThat(lines.stream().filter(l -> l.startsWith("trainserve_prediction_latency_seconds_bucket{") && l.contains("model=\"watched\"")))
                .hasSizeGreaterThan(10);

        assertThat(sample(lines, "trainserve_prediction_instances_count", "model=\"watched\"")).isEqualTo(2.0);
        assertThat(sample(lines, "trainserve_prediction_instances_sum", "model=\"watched\"")).isEqualTo(4.0);
        assertThat(lines).anyMatch(l -> l.startsWith("trainserve_prediction_instances_bucket{") && l.contains("model=\"watched\""));
    }

    /** The value of the one sample of {@code name} whose labels contain all of {@code labels}. */
    private static double sample(List<String> lines, String name, String... labels) {
        List<String> matching = lines.stream().filter(l -> l.startsWith(name + "{"))
                .filter(l -> java.util.Arrays.stream(labels).allMatch(l::contains)).toList();
        assertThat(matching).as("samples of %s with %s", name, List.of(labels)).hasSize(1);
        String line = matching.get(0);
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
