package io.trainserve.service.prediction;

import static io.trainserve.service.support.TestFiles.SOFTMAX_CSV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.support.ApiTest;
import io.trainserve.service.support.Contract;
import io.trainserve.service.support.TestFiles;
import io.trainserve.service.support.Training;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** Aliases, response options, CSV files, image files and the Open Inference Protocol, through HTTP. */
@ApiTest
class ServingApiTest {
    static final MediaType CSV = MediaType.parseMediaType("text/csv");
    @Autowired
    MockMvc mvc;

    String datasetId;

    @BeforeEach
    void upload() throws Exception {
        datasetId = Training.upload(mvc, SOFTMAX_CSV);
    }

    ResultActions predict(String model, String body, String... params) throws Exception {
        var request = post("/models/{id}/predict", model).contentType(MediaType.APPLICATION_JSON).content(body);
        for (int i = 0; i < params.length; i += 2) request.param(params[i], params[i + 1]);
        return mvc.perform(request);
    }

    ResultActions putAlias(String model, String alias, String body) throws Exception {
        return mvc.perform(put("/models/{id}/aliases/{alias}", model, alias).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    @Test
    void aliasesAreCreatedMovedUsedAndDeleted() throws Exception {
        int good = Training.softmax(mvc, "ranked", datasetId, null, 0.1, 300);
        int barely = Training.softmax(mvc, "ranked", datasetId, null, 0.0001, 1);
        String row = "{\"instances\": [[9, 9]]}";

        putAlias("ranked", "champion", "{\"version\": " + good + "}").andExpect(Contract.matches()).andExpect(status().isCreated())
                .andExpect(header().string("Location", containsString("/models/ranked/aliases/champion")))
                .andExpect(jsonPath("$.alias").value("champion")).andExpect(jsonPath("$.version").value(good));
        mvc.perform(get("/models/ranked")).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.aliases.champion").value(good));
        String byAlias = predict("ranked", row, "alias", "champion").andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.version").value(good)).andExpect(jsonPath("$.predictions[0].label").value("0"))
                .andReturn().getResponse().getContentAsString();
        String byVersion = predict("ranked", row, "version", String.valueOf(good)).andReturn().getResponse().getContentAsString();
        assertThat(byAlias).isEqualTo(byVersion);

        putAlias("ranked", "champion", "{\"version\": " + barely + "}").andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.version").value(barely));
        predict("ranked", row, "alias", "champion").andExpect(status().isOk()).andExpect(jsonPath("$.version").value(barely));
        mvc.perform(get("/models/ranked")).andExpect(jsonPath("$.aliases.champion").value(barely));

        predict("ranked", row, "alias", "nope").andExpect(Contract.matches()).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.field").value("alias")).andExpect(jsonPath("$.resource").value("alias"));
        predict("ranked", row, "alias", "champion", "version", String.valueOf(good)).andExpect(Contract.matches())
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("alias"))
                .andExpect(jsonPath("$.allowed").value(containsString("not both")));
        putAlias("ranked", "champion", "{\"version\": 99}").andExpect(Contract.matches()).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.field").value("version"));
        putAlias("ranked", "champion", "{}").andExpect(Contract.responseMatches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("version"));
        putAlias("ranked", "9lives", "{\"version\": 1}").andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("alias"));
        putAlias("nobody", "champion", "{\"version\": 1}").andExpect(Contract.matches()).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.resource").value("model"));

        mvc.perform(delete("/models/ranked/versions/{v}", barely)).andExpect(Contract.matches()).andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("version-aliased")).andExpect(jsonPath("$.detail").value(containsString("champion")));

        mvc.perform(delete("/models/ranked/aliases/champion")).andExpect(Contract.matches()).andExpect(status().isNoContent());
        predict("ranked", row, "alias", "champion").andExpect(status().isNotFound()).andExpect(jsonPath("$.field").value("alias"));
        mvc.perform(delete("/models/ranked/aliases/champion")).andExpect(Contract.matches()).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.field").value("alias"));
        mvc.perform(get("/models/ranked")).andExpect(jsonPath("$.aliases").isEmpty());
        mvc.perform(delete("/models/ranked/versions/{v}", barely)).andExpect(status().isNoContent());
        predict("ranked", row).andExpect(status().isOk()).andExpect(jsonPath("$.version").value(good));
    }

    @Test
    void probabilitiesCanBeLeftOutOrCutToTheTopK() throws Exception {
        Training.softmax(mvc, "terse", datasetId, null, 0.1, 300);
        String all = predict("terse", "{\"instances\": [[9, 9], [1, 1]]}").andReturn().getResponse().getContentAsString();

        predict("terse", "{\"instances\": [[9, 9], [1, 1]]}", "probabilities", "false").andExpect(Contract.matches())
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.predictions[*].label").value(contains("0", "2")))
                .andExpect(jsonPath("$.predictions[0].probabilities").doesNotExist());
        String top = predict("terse", "{\"instances\": [[9, 9], [1, 1]]}", "top_k", "2").andExpect(Contract.matches())
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        Map<String, Number> full = JsonPath.read(all, "$.predictions[0].probabilities");
        Map<String, Number> two = JsonPath.read(top, "$.predictions[0].probabilities");
        assertThat(two).hasSize(2).containsKey("0");
        List<Double> sorted = full.values().stream().map(Number::doubleValue).sorted(java.util.Comparator.reverseOrder()).toList();
        assertThat(two.values().stream().map(Number::doubleValue).toList()).containsExactly(sorted.get(0), sorted.get(1));
        predict("terse", "{\"instances\": [[9, 9]]}", "top_k", "0").andExpect(Contract.responseMatches())
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("top_k"));
    }

    @Test
    void csvFilesArePredictedByColumnNameWithEchoAndAsJsonLines() throws Exception {
        Training.softmax(mvc, "files", datasetId, null, 0.1, 300);
        String json = predict("files", "{\"instances\": [[1, 1], [9, 8]]}").andReturn().getResponse().getContentAsString();

        String csv = mvc.perform(post("/models/files/predict").contentType(CSV).content("id,x2,note,x1\nr7,1,a,1\nr8,8,b,9\n")
                        .param("echo", "id"))
                .andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(CSV)).andReturn().getResponse().getContentAsString();
        List<String> lines = csv.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("id,label,classIndex,prob_0,prob_1,prob_2");
        assertThat(lines.get(1)).startsWith("r7,2,2,");
        assertThat(lines.get(2)).startsWith("r8,0,0,");
        double p2 = Double.parseDouble(lines.get(1).split(",")[5]);
        assertThat(p2).isCloseTo(number(json, "$.predictions[0].probabilities.2"), Offset.offset(1e-6));

        String ndjson = mvc.perform(post("/models/files/predict").contentType(CSV).accept(MediaType.parseMediaType("application/x-ndjson"))
                        .content("x1,x2\n1,1\n9,8\n5,5\n"))
                .andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("application/x-ndjson")).andReturn().getResponse().getContentAsString();
        List<String> rows = ndjson.lines().toList();
        assertThat(rows).hasSize(3);
        assertThat(JsonPath.<String>read(rows.get(0), "$.label")).isEqualTo("2");
        assertThat(JsonPath.<String>read(rows.get(1), "$.label")).isEqualTo("0");
        assertThat(JsonPath.<String>read(rows.get(2), "$.label")).isEqualTo("1");
        assertThat(number(rows.get(1), "$.probabilities.0")).isCloseTo(number(json, "$.predictions[1].probabilities.0"), Offset.offset(1e-6));
    }

    @Test
    void badCsvRowsAreReportedByRowAndColumn() throws Exception {
        Training.softmax(mvc, "fussy", datasetId, null, 0.1, 3);
        mvc.perform(post("/models/fussy/predict").contentType(CSV).content("x1,x2\n1,1\n2,abc\n3,3\n"))
                .andExpect(Contract.matches()).andExpect(status().isUnprocessableContent())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.row").value(3)).andExpect(jsonPath("$.column").value("x2"))
                .andExpect(jsonPath("$.found").value("'abc'"));
        mvc.perform(post("/models/fussy/predict").contentType(CSV).content("x1,x2\n1,1\n2\n"))
                .andExpect(Contract.matches()).andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.row").value(3)).andExpect(jsonPath("$.column").value("x2"));
        mvc.perform(post("/models/fussy/predict").contentType(CSV).content("x1,y\n1,1\n"))
                .andExpect(Contract.matches()).andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.row").value(1)).andExpect(jsonPath("$.column").value("x2"));
        mvc.perform(post("/models/fussy/predict").contentType(CSV).content("x1,x2\n1,1\n").param("echo", "id"))
                .andExpect(Contract.matches()).andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.column").value("id"));
        mvc.perform(post("/models/fussy/predict").contentType(MediaType.TEXT_PLAIN).content("x1,x2\n1,1\n"))
                .andExpect(Contract.responseMatches()).andExpect(status().isUnsupportedMediaType());
    }

    @Test
    void imageModelsTakePngAndJpegFilesResizedToTheirInput() throws Exception {
        String imagesId = JsonPath.read(mvc.perform(multipart("/datasets")
                        .file(new MockMultipartFile("images", "i.idx", "application/octet-stream", TestFiles.idxImages(12)))
                        .file(new MockMultipartFile("labels", "l.idx", "application/octet-stream", TestFiles.idxLabels(12, 3))))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString(), "$.id");
        Training.run(mvc, """
                {"modelId": "snaps", "datasetId": "%s",
                 "model": {"layers": [{"type": "flatten"}, {"type": "dense", "units": 3, "activation": "softmax"}],
                           "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "adam", "learningRate": 0.01, "epochs": 3, "batchSize": 4, "seed": 1}}
                """.formatted(imagesId));

        // exact size (3 wide, 2 high): the pixels as they are; a large uniform color image: every pixel its luma
        BufferedImage exact = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        int[] pixels = {0, 40, 80, 120, 160, 250};
        for (int i = 0; i < 6; i++) exact.getRaster().setSample(i % 3, i / 3, 0, pixels[i]);
        BufferedImage big = new BufferedImage(60, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = big.createGraphics();
        g.setColor(new Color(200, 100, 50));
        g.fillRect(0, 0, 60, 40);
        g.dispose();
        int luma = Math.round((299 * 200 + 587 * 100 + 114 * 50) / 1000f);

        String files = mvc.perform(multipart("/models/snaps/predict")
                        .file(new MockMultipartFile("file", "a.png", "image/png", encode(exact, "png")))
                        .file(new MockMultipartFile("file", "b.png", "image/png", encode(big, "png")))
                        .file(new MockMultipartFile("file", "c.jpg", "image/jpeg", encode(big, "jpg"))))
                .andExpect(Contract.responseMatches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.predictions", hasSize(3))).andReturn().getResponse().getContentAsString();
        String json = predict("snaps", "{\"instances\": [[0, 40, 80, 120, 160, 250], [%d, %d, %d, %d, %d, %d]]}"
                .formatted(luma, luma, luma, luma, luma, luma)).andReturn().getResponse().getContentAsString();
        assertThat((Object) JsonPath.read(files, "$.predictions[0]")).isEqualTo(JsonPath.read(json, "$.predictions[0]"));
        assertThat((Object) JsonPath.read(files, "$.predictions[1]")).isEqualTo(JsonPath.read(json, "$.predictions[1]"));

        mvc.perform(multipart("/models/snaps/predict")
                        .file(new MockMultipartFile("file", "a.png", "image/png", encode(exact, "png")))
                        .file(new MockMultipartFile("file", "notes.txt", "text/plain", "hello".getBytes())))
                .andExpect(Contract.responseMatches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("file[1]")).andExpect(jsonPath("$.given").value(containsString("notes.txt")));
        Training.softmax(mvc, "table", datasetId, null, 0.1, 3);
        mvc.perform(multipart("/models/table/predict").file(new MockMultipartFile("file", "a.png", "image/png", encode(exact, "png"))))
                .andExpect(Contract.responseMatches()).andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("file"));
    }

    @Test
    void openInferenceProtocolInfersWithFp32Tensors() throws Exception {
        int v = Training.softmax(mvc, "oip", datasetId, null, 0.1, 300);
        mvc.perform(get("/v2/health/ready")).andExpect(Contract.matches()).andExpect(status().isOk()).andExpect(jsonPath("$.ready").value(true));
        mvc.perform(get("/v2/models/oip")).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.name").value("oip"))
                .andExpect(jsonPath("$.versions").value(contains(String.valueOf(v))))
                .andExpect(jsonPath("$.inputs[0].datatype").value("FP32"))
                .andExpect(jsonPath("$.inputs[0].shape").value(contains(-1, 2)))
                .andExpect(jsonPath("$.outputs[0].name").value("probabilities"))
                .andExpect(jsonPath("$.outputs[0].shape").value(contains(-1, 3)));
        mvc.perform(get("/v2/models/oip/ready")).andExpect(Contract.matches()).andExpect(status().isOk());

        String infer = """
                {"id": "r1", "inputs": [{"name": "input", "shape": [2, 2], "datatype": "FP32", "data": [[1, 1], [9, 8]]}]}""";
        String json = predict("oip", "{\"instances\": [[1, 1], [9, 8]]}").andReturn().getResponse().getContentAsString();
        String out = mvc.perform(post("/v2/models/oip/infer").contentType(MediaType.APPLICATION_JSON).content(infer))
                .andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.model_name").value("oip"))
                .andExpect(jsonPath("$.model_version").value(String.valueOf(v)))
                .andExpect(jsonPath("$.id").value("r1"))
                .andExpect(jsonPath("$.outputs[0].name").value("probabilities"))
                .andExpect(jsonPath("$.outputs[0].shape").value(contains(2, 3)))
                .andExpect(jsonPath("$.outputs[1].name").value("class_index"))
                .andExpect(jsonPath("$.outputs[1].data").value(contains(2, 0)))
                .andExpect(jsonPath("$.outputs[2].data").value(contains("2", "0")))
                .andReturn().getResponse().getContentAsString();
        assertThat(number(out, "$.outputs[0].data[5]")).isCloseTo(number(json, "$.predictions[1].probabilities.2"), Offset.offset(1e-6));
        mvc.perform(post("/v2/models/oip/versions/{v}/infer", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 2], \"datatype\": \"FP32\", \"data\": [9, 8]}],"
                                 + " \"outputs\": [{\"name\": \"label\"}]}"))
                .andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.outputs", hasSize(1))).andExpect(jsonPath("$.outputs[0].data").value(contains("0")));

        v2Error("/v2/models/oip/infer", "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 2], \"datatype\": \"INT64\", \"data\": [9, 8]}]}", 400)
                .andExpect(jsonPath("$.error").value(containsString("FP32")));
        v2Error("/v2/models/oip/infer", "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [9, 8, 7]}]}", 400)
                .andExpect(jsonPath("$.error").value(containsString("shape")));
        v2Error("/v2/models/oip/infer", "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 2], \"datatype\": \"FP32\", \"data\": [9, 8]}]}", 400)
                .andExpect(jsonPath("$.error").value(containsString("4 numbers")));
        v2Error("/v2/models/oip/infer", "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 2], \"datatype\": \"FP32\", \"data\": [9, \"x\"]}]}", 400)
                .andExpect(jsonPath("$.error").value(containsString("inputs[0].data")));
        v2Error("/v2/models/oip/infer", "{\"inputs\": [", 400).andExpect(jsonPath("$.error").value(containsString("JSON")));
        v2Error("/v2/models/nobody/infer", "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 2], \"datatype\": \"FP32\", \"data\": [9, 8]}]}", 404)
                .andExpect(jsonPath("$.error").value(containsString("nobody")));
        v2Error("/v2/models/oip/versions/77/infer", "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 2], \"datatype\": \"FP32\", \"data\": [9, 8]}]}", 404);
        mvc.perform(get("/v2/models/nobody")).andExpect(Contract.matches()).andExpect(status().isNotFound()).andExpect(jsonPath("$.error").exists());
    }

    private ResultActions v2Error(String path, String body, int status) throws Exception {
        return mvc.perform(post(path).contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(Contract.responseMatches()).andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.error").isString()).andExpect(jsonPath("$.type").doesNotExist());
    }

    private static double number(String json, String path) {
        return JsonPath.<Number>read(json, path).doubleValue();
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }
}
