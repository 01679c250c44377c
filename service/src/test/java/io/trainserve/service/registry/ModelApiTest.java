package io.trainserve.service.registry;

import static io.trainserve.service.support.TestFiles.SOFTMAX_CSV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.support.ApiTest;
import io.trainserve.service.support.Contract;
import io.trainserve.service.support.Training;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;

@ApiTest
class ModelApiTest {
    static final String ROWS = """
            {"instances": [[1, 1], [1, 2], [2, 1], [5, 5], [5, 6], [6, 5], [9, 9], [9, 8]]}""";

    @Autowired
    MockMvc mvc;

    String datasetId;

    @BeforeEach
    void upload() throws Exception {
        datasetId = Training.upload(mvc, SOFTMAX_CSV);
    }

    @Test
    void listsModelsAndShowsVersionsWithTheirMetrics() throws Exception {
        Training.softmax(mvc, "list-a", datasetId, datasetId, 0.1, 50);
        Training.softmax(mvc, "list-a", datasetId, null, 0.1, 5);

        mvc.perform(get("/models")).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.id == 'list-a')].latestVersion").value(contains(2)))
                .andExpect(jsonPath("$[?(@.id == 'list-a')].versionCount").value(contains(2)));

        mvc.perform(get("/models/list-a")).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value("list-a"))
                .andExpect(jsonPath("$.latestVersion").value(2))
                .andExpect(jsonPath("$.versions[*].version").value(contains(1, 2)))
                .andExpect(jsonPath("$.versions[0].jobId").isString())
                .andExpect(jsonPath("$.versions[0].metrics.accuracy").isNumber())
                .andExpect(jsonPath("$.versions[0].metrics.loss").isNumber())
                .andExpect(jsonPath("$.versions[0].testMetrics.accuracy").isNumber())
                .andExpect(jsonPath("$.versions[1].testMetrics").doesNotExist());
    }

    @Test
    void versionShowsSpecSummaryPreprocessingSchemaMetricsTestReportProvenanceAndHistory() throws Exception {
        int v = Training.softmax(mvc, "detail", datasetId, datasetId, 0.1, 40);

        mvc.perform(get("/models/detail/versions/{v}", v)).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.modelId").value("detail"))
                .andExpect(jsonPath("$.version").value(v))
                .andExpect(jsonPath("$.task").value("classification"))
                .andExpect(jsonPath("$.target").value("label"))
                .andExpect(jsonPath("$.spec.loss").value("sparse_categorical_crossentropy"))
                .andExpect(jsonPath("$.spec.layers[0].units").value(3))
                .andExpect(jsonPath("$.training.epochs").value(40))
                .andExpect(jsonPath("$.summary.layers", hasSize(1)))
                .andExpect(jsonPath("$.summary.layers[0].type").value(containsString("ense")))
                .andExpect(jsonPath("$.summary.layers[0].outputShape").value(containsString("3")))
                .andExpect(jsonPath("$.summary.layers[0].params").value(9))
                .andExpect(jsonPath("$.summary.totalParams").value(9))
                .andExpect(jsonPath("$.summary.trainableParams").value(9))
                .andExpect(jsonPath("$.preprocessing.scaling").value("minmax"))
                .andExpect(jsonPath("$.classNames").value(contains("0", "1", "2")))
                .andExpect(jsonPath("$.inputSchema.features[*].name").value(contains("x1", "x2")))
                .andExpect(jsonPath("$.inputSchema.features[0].kind").value("NUMERIC"))
                .andExpect(jsonPath("$.inputSchema.width").value(2))
                .andExpect(jsonPath("$.metrics.accuracy").isNumber())
                .andExpect(jsonPath("$.testMetrics.rows").value(8))
                .andExpect(jsonPath("$.testMetrics.perClass", hasSize(3)))
                .andExpect(jsonPath("$.testMetrics.confusionMatrix", hasSize(3)))
                .andExpect(jsonPath("$.provenance.seed").value(1))
                .andExpect(jsonPath("$.provenance.epochsRun").value(40))
                .andExpect(jsonPath("$.history", hasSize(40)))
                .andExpect(jsonPath("$.history[0].epoch").value(1))
                .andExpect(jsonPath("$.bundleSha256").isString());
    }

    @Test
    void aFineTunedVersionNamesItsBaseModel() throws Exception {
        int base = Training.softmax(mvc, "base", datasetId, null, 0.1, 5);
        int tuned = Training.run(mvc, """
                {"modelId": "tuned", "datasetId": "%s", "target": "label", "baseModel": {"modelId": "base", "version": %d, "freezeLayers": 0},
                 "training": {"optimizer": "adam", "learningRate": 0.01, "epochs": 2, "batchSize": 8}}
                """.formatted(datasetId, base));

        mvc.perform(get("/models/tuned/versions/{v}", tuned)).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.baseModel.modelId").value("base"))
                .andExpect(jsonPath("$.baseModel.version").value(base))
                .andExpect(jsonPath("$.baseModel.freezeLayers").value(0));
        mvc.perform(get("/models/base/versions/{v}", base)).andExpect(Contract.matches())
                .andExpect(jsonPath("$.baseModel").doesNotExist());
    }

    @Test
    void unknownModelsAndVersionsAre404Problems() throws Exception {
        mvc.perform(get("/models/no-such-model")).andExpect(Contract.matches()).andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("not-found"))
                .andExpect(jsonPath("$.detail").value(containsString("no-such-model")));
        mvc.perform(get("/models/no-such-model/versions/1")).andExpect(Contract.matches()).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("not-found"));
        mvc.perform(get("/models/no-such-model/versions/1/bundle")).andExpect(Contract.matches()).andExpect(status().isNotFound());
        mvc.perform(delete("/models/no-such-model/versions/1")).andExpect(Contract.matches()).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("not-found"));
        mvc.perform(get("/models/no-such-model/versions/one")).andExpect(Contract.responseMatches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("version"));
    }

    @Test
    void downloadedBundleRestoresAsANewVersionThatPredictsIdentically() throws Exception {
        int v = Training.softmax(mvc, "saved", datasetId, datasetId, 0.1, 60);

        var download = mvc.perform(get("/models/saved/versions/{v}/bundle", v)).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(content().contentType("application/zip"))
                .andExpect(header().string("Content-Disposition", containsString("filename=\"saved-v" + v + ".zip\"")))
                .andReturn().getResponse();
        byte[] bundle = download.getContentAsByteArray();
        assertThat(bundle).hasSizeGreaterThan(100);
        assertThat(new String(bundle, 0, 2)).isEqualTo("PK");

        String restored = mvc.perform(multipart("/models/loaded/versions").file(new MockMultipartFile("file", "saved-v1.zip", "application/zip", bundle)))
                .andExpect(Contract.uploadMatches()).andExpect(status().isCreated())
                .andExpect(header().string("Location", endsWith("/models/loaded/versions/1")))
                .andExpect(jsonPath("$.modelId").value("loaded"))
                .andExpect(jsonPath("$.version").value(1))
                .andExpect(jsonPath("$.jobId").doesNotExist())
                .andExpect(jsonPath("$.classNames").value(contains("0", "1", "2")))
                .andExpect(jsonPath("$.preprocessing.scaling").value("minmax"))
                .andReturn().getResponse().getContentAsString();
        assertThat((Object) JsonPath.read(restored, "$.metrics")).isEqualTo(
                JsonPath.read(mvc.perform(get("/models/saved/versions/{v}", v)).andReturn().getResponse().getContentAsString(), "$.metrics"));

        List<Map<String, Object>> original = predictions("saved");
        List<Map<String, Object>> again = predictions("loaded");
        assertThat(again).isEqualTo(original);
        assertThat(original).extracting(p -> p.get("label")).containsExactly("2", "2", "2", "1", "1", "1", "0", "0");

        // restoring again makes version 2 of the same id
        mvc.perform(multipart("/models/loaded/versions").file(new MockMultipartFile("file", "b.zip", "application/zip", bundle)))
                .andExpect(Contract.uploadMatches()).andExpect(status().isCreated()).andExpect(jsonPath("$.version").value(2));
    }

    @Test
    void somethingThatIsNotABundleIsRejectedWithAProblem() throws Exception {
        mvc.perform(multipart("/models/junk/versions").file(new MockMultipartFile("file", "x.zip", "application/zip", "not a zip".getBytes())))
                .andExpect(Contract.uploadMatches()).andExpect(status().isUnprocessableContent())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.field").value("file"))
                .andExpect(jsonPath("$.detail").value(containsString("not a usable trainserve model bundle")));
        mvc.perform(multipart("/models/junk/versions").file(new MockMultipartFile("file", "x.zip", "application/zip", new byte[0])))
                .andExpect(Contract.uploadMatches()).andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.field").value("file"));
        mvc.perform(multipart("/models/junk/versions").file(new MockMultipartFile("other", "x.zip", "application/zip", new byte[]{1})))
                .andExpect(Contract.uploadMatches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("file"));
        mvc.perform(get("/models/junk")).andExpect(status().isNotFound());
    }

    @Test
    void deletingVersionsRemovesThemAndTheModelWithItsLast() throws Exception {
        Training.softmax(mvc, "doomed", datasetId, null, 0.1, 3);
        Training.softmax(mvc, "doomed", datasetId, null, 0.1, 3);

        mvc.perform(delete("/models/doomed/versions/1")).andExpect(Contract.matches()).andExpect(status().isNoContent());
        mvc.perform(get("/models/doomed/versions/1")).andExpect(Contract.matches()).andExpect(status().isNotFound());
        mvc.perform(delete("/models/doomed/versions/1")).andExpect(Contract.matches()).andExpect(status().isNotFound());
        mvc.perform(get("/models/doomed")).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.latestVersion").value(2))
                .andExpect(jsonPath("$.versions[*].version").value(contains(2)));
        mvc.perform(post("/models/doomed/predict").contentType(MediaType.APPLICATION_JSON).content(ROWS).param("version", "1"))
                .andExpect(Contract.matches()).andExpect(status().isNotFound());

        mvc.perform(delete("/models/doomed/versions/2")).andExpect(Contract.matches()).andExpect(status().isNoContent());
        mvc.perform(get("/models/doomed")).andExpect(Contract.matches()).andExpect(status().isNotFound());
        mvc.perform(get("/models")).andExpect(Contract.matches())
                .andExpect(jsonPath("$[?(@.id == 'doomed')]").isEmpty());
        mvc.perform(post("/models/doomed/predict").contentType(MediaType.APPLICATION_JSON).content(ROWS))
                .andExpect(Contract.matches()).andExpect(status().isNotFound());
    }

    private List<Map<String, Object>> predictions(String model) throws Exception {
        String body = mvc.perform(post("/models/{id}/predict", model).contentType(MediaType.APPLICATION_JSON).content(ROWS))
                .andExpect(Contract.matches()).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        return JsonPath.read(body, "$.predictions");
    }
}
