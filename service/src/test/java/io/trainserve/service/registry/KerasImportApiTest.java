package io.trainserve.service.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.contains;
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
import io.trainserve.service.support.KerasFiles;
import io.trainserve.service.support.TestFiles;
import io.trainserve.service.support.Training;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.JsonNode;

/**
 * Keras .h5 files written by tools/make_keras_h5.py (h5py, tf.keras 2.x layout, known weights) imported
 * through POST /models/{id}/versions predict what numpy computes from the same weights; a trained version
 * exported by GET /models/{id}/versions/{v}/keras comes back predicting the same.
 */
@ApiTest
class KerasImportApiTest {
    @TempDir
    static Path dir;

    @Autowired
    MockMvc mvc;

    @BeforeAll
    static void writeFiles() throws Exception {
        KerasFiles.write(dir);
    }

    @Test
    void mlpWithBatchNormDropoutAndActivationPredictsWhatNumpyComputes() throws Exception {
        byte[] h5 = Files.readAllBytes(dir.resolve("mlp.h5"));
        upload("keras-mlp", "mlp.h5", Map.of("classNames", "[\"a\", \"b\", \"c\"]")).andExpect(status().isCreated())
                .andExpect(jsonPath("$.version").value(1))
                .andExpect(jsonPath("$.jobId").doesNotExist())
                .andExpect(jsonPath("$.task").value("classification"))
                .andExpect(jsonPath("$.classNames").value(contains("a", "b", "c")))
                .andExpect(jsonPath("$.spec.layers[*].type").value(contains("dense", "batch_norm", "dropout", "dense")))
                .andExpect(jsonPath("$.spec.layers[3].activation").value("softmax"))
                .andExpect(jsonPath("$.spec.loss").value("sparse_categorical_crossentropy"))
                .andExpect(jsonPath("$.training.optimizer").value("adam"))
                .andExpect(jsonPath("$.training.learningRate").value(0.0005))
                .andExpect(jsonPath("$.inputSchema.width").value(5))
                .andExpect(jsonPath("$.preprocessing.scaling").value("none"))
                .andExpect(jsonPath("$.preprocessing.note").value(containsString("already scaled")))
                .andExpect(jsonPath("$.provenance.imported.format").value("keras-h5"))
                .andExpect(jsonPath("$.provenance.imported.fileName").value("mlp.h5"))
                .andExpect(jsonPath("$.provenance.imported.sha256").value(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(h5))))
                .andExpect(jsonPath("$.provenance.imported.kerasVersion").value("2.11.0"))
                .andExpect(jsonPath("$.provenance.imported.backend").value("tensorflow"));

        JsonNode expected = KerasFiles.expected(dir, "mlp");
        assertPredicts("keras-mlp", expected.get("inputs"), expected.get("probabilities"), List.of("a", "b", "c"));
    }

    @Test
    void channelsLastCnnPredictsWhatNumpyComputesOnChannelsFirstImages() throws Exception {
        upload("keras-cnn", "cnn.h5", Map.of()).andExpect(status().isCreated())
                .andExpect(jsonPath("$.inputSchema.imageShape").value(contains(2, 6, 5)))
                .andExpect(jsonPath("$.spec.layers[*].type").value(contains("conv2d", "max_pool2d", "flatten", "dense")))
                .andExpect(jsonPath("$.training.optimizer").value("momentum"))
                .andExpect(jsonPath("$.training.momentum").value(0.9));
        JsonNode expected = KerasFiles.expected(dir, "cnn");
        assertPredicts("keras-cnn", expected.get("inputsChannelsFirst"), expected.get("probabilities"), List.of("0", "1", "2", "3"));
    }

    @Test
    void fixedPreprocessingScalesRawInputsBeforeTheNetwork() throws Exception {
        // raw = (x - shift) / scale, so the model scaled by x = raw * scale + shift must give numpy's probabilities for x
        float scale = 0.5f;
        float[] shift = {1, -2, 0.5f, 3, -1};
        upload("keras-scaled", "mlp.h5", Map.of("preprocessing", "{\"scale\": 0.5, \"shift\": [1, -2, 0.5, 3, -1]}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.preprocessing.scaling").value("fixed"))
                .andExpect(jsonPath("$.preprocessing.note").value(containsString("x * scale + shift")));
        JsonNode expected = KerasFiles.expected(dir, "mlp");
        StringBuilder rows = new StringBuilder();
        JsonNode x = expected.get("inputs");
        for (int i = 0; i < x.size(); i++) {
            rows.append(i == 0 ? "[" : ",[");
            for (int j = 0; j < x.get(i).size(); j++) rows.append(j == 0 ? "" : ",").append((x.get(i).get(j).asDouble() - shift[j]) / scale);
            rows.append(']');
        }
        assertPredicts("keras-scaled", "[" + rows + "]", expected.get("probabilities"), List.of("0", "1", "2"));
    }

    @Test
    void importedModelFineTunesAsABaseModel() throws Exception {
        upload("keras-base", "mlp.h5", Map.of()).andExpect(status().isCreated());
        StringBuilder csv = new StringBuilder("x1,x2,x3,x4,x5,label\n");
        for (int i = 0; i < 30; i++) csv.append(i % 3).append(',').append(i % 5).append(",1,").append(i % 7).append(",2,").append(i % 3).append('\n');
        String datasetId = Training.upload(mvc, csv.toString());
        int v = Training.run(mvc, """
                {"modelId": "keras-base", "datasetId": "%s", "target": "label", "baseModel": {"modelId": "keras-base", "version": 1, "freezeLayers": 1},
                 "training": {"epochs": 2, "batchSize": 10, "seed": 1}}""".formatted(datasetId));
        assertThat(v).isEqualTo(2);
        mvc.perform(get("/models/keras-base/versions/2")).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.baseModel.modelId").value("keras-base"))
                .andExpect(jsonPath("$.training.optimizer").value("adam")) // the compiled optimizer, as load_model restores it
                .andExpect(jsonPath("$.training.learningRate").value(0.0005))
                .andExpect(jsonPath("$.provenance.baseModel").value(containsString("keras-h5 model imported from mlp.h5")));
    }

    @Test
    void unsupportedOrBrokenFilesAre422NamingWhatWasFoundAndWhatIsSupported() throws Exception {
        problem(upload("keras-bad", "rnn.h5", Map.of()), 422, "invalid-data")
                .andExpect(jsonPath("$.detail").value(containsString("layer 'rnn' of class SimpleRNN is not supported")))
                .andExpect(jsonPath("$.detail").value(containsString("Dense, Dropout, BatchNormalization, Conv2D")));
        problem(upload("keras-bad", "functional.h5", Map.of()), 422, "invalid-data")
                .andExpect(jsonPath("$.detail").value(containsString("model class 'Functional' is not supported")))
                .andExpect(jsonPath("$.detail").value(containsString("Sequential")));
        problem(upload("keras-bad", "corrupt.h5", Map.of()), 422, "invalid-data")
                .andExpect(jsonPath("$.detail").value(containsString("cannot be read as a Keras model")));
        problem(upload("keras-bad", "keras3.keras", Map.of()), 422, "invalid-data")
                .andExpect(jsonPath("$.detail").value(containsString("Keras 3 .keras file")))
                .andExpect(jsonPath("$.detail").value(containsString("tf.keras 2.x")));
        mvc.perform(get("/models/keras-bad")).andExpect(status().isNotFound());
    }

    @Test
    void badPreprocessingOrClassNamesAre400NamingTheField() throws Exception {
        problem(upload("keras-bad-field", "mlp.h5", Map.of("preprocessing", "{\"scale\": \"big\"}")), 400, "invalid-request")
                .andExpect(jsonPath("$.field").value("preprocessing.scale"));
        problem(upload("keras-bad-field", "mlp.h5", Map.of("preprocessing", "{\"shift\": [1, 2]}")), 400, "invalid-input")
                .andExpect(jsonPath("$.detail").value(containsString("one number, or 5 (one per input feature)")));
        problem(upload("keras-bad-field", "mlp.h5", Map.of("preprocessing", "{\"offset\": 1}")), 400, "invalid-request")
                .andExpect(jsonPath("$.field").value("preprocessing.offset"));
        problem(upload("keras-bad-field", "mlp.h5", Map.of("classNames", "[\"a\", \"b\"]")), 400, "invalid-input")
                .andExpect(jsonPath("$.detail").value(containsString("3 distinct names")));
    }

    @Test
    void aTrainedVersionLeavesAsKerasH5AndComesBackPredictingTheSame() throws Exception {
        String datasetId = Training.upload(mvc, TestFiles.SOFTMAX_CSV);
        Training.run(mvc, """
                {"modelId": "keras-out", "datasetId": "%s", "target": "label", "preprocessing": {"scaling": "standardize"},
                 "model": {"layers": [{"type": "dense", "units": 8, "activation": "relu"}, {"type": "batch_norm"},
                                      {"type": "dropout", "rate": 0.2}, {"type": "dense", "units": 3, "activation": "softmax"}],
                           "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "adam", "learningRate": 0.02, "epochs": 20, "batchSize": 4, "seed": 1}}""".formatted(datasetId));
        byte[] h5 = mvc.perform(get("/models/keras-out/versions/1/keras")).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(content().contentType("application/x-hdf5"))
                .andExpect(header().string("Content-Disposition", containsString("keras-out-v1.h5")))
                .andReturn().getResponse().getContentAsByteArray();

        mvc.perform(multipart("/models/{id}/versions", "keras-back").file(new MockMultipartFile("file", "keras-out-v1.h5", "application/x-hdf5", h5)))
                .andExpect(Contract.uploadMatches()).andExpect(status().isCreated())
                .andExpect(jsonPath("$.preprocessing.scaling").value("fixed"))
                .andExpect(jsonPath("$.training.optimizer").value("adam"))
                .andExpect(jsonPath("$.training.learningRate").value(0.02));
        String rows = "[[1, 1], [2, 7], [5, 5.5], [9, 8], [0, -3]]";
        String original = predict("keras-out", rows), back = predict("keras-back", rows);
        for (int i = 0; i < 5; i++) {
            for (String c : List.of("0", "1", "2")) {
                String path = "$.predictions[" + i + "].probabilities['" + c + "']";
                assertThat(((Number) JsonPath.read(back, path)).doubleValue()).as("row %d class %s", i, c)
                        .isCloseTo(((Number) JsonPath.read(original, path)).doubleValue(), within(1e-5));
            }
        }
    }

    @Test
    void anActivationKeras2CannotNameIs409NamingTheLayer() throws Exception {
        String datasetId = Training.upload(mvc, TestFiles.SOFTMAX_CSV);
        Training.run(mvc, """
                {"modelId": "keras-leaky", "datasetId": "%s", "target": "label",
                 "model": {"layers": [{"type": "dense", "units": 4, "activation": "leaky_relu"},
                                      {"type": "dense", "units": 3, "activation": "softmax"}], "loss": "sparse_categorical_crossentropy"},
                 "training": {"epochs": 1, "batchSize": 8, "seed": 1}}""".formatted(datasetId));
        problem(mvc.perform(get("/models/keras-leaky/versions/1/keras")).andExpect(Contract.matches()), 409, "not-exportable")
                .andExpect(jsonPath("$.detail").value(containsString("layer 0 (dense) has activation leaky_relu")));
    }

    private String predict(String id, String rows) throws Exception {
        return mvc.perform(post("/models/{id}/predict", id).contentType(MediaType.APPLICATION_JSON).content("{\"instances\": " + rows + "}"))
                .andExpect(Contract.matches()).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    private ResultActions upload(String id, String file, Map<String, String> fields) throws Exception {
        var request = multipart("/models/{id}/versions", id)
                .file(new MockMultipartFile("file", file, "application/octet-stream", Files.readAllBytes(dir.resolve(file))));
        fields.forEach(request::param);
        return mvc.perform(request).andExpect(Contract.uploadMatches());
    }

    private static ResultActions problem(ResultActions r, int status, String code) throws Exception {
        return r.andExpect(status().is(status)).andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value(code));
    }

    private void assertPredicts(String id, JsonNode rows, JsonNode probabilities, List<String> classes) throws Exception {
        assertPredicts(id, rows.toString(), probabilities, classes);
    }

    private void assertPredicts(String id, String rows, JsonNode probabilities, List<String> classes) throws Exception {
        String body = predict(id, rows);
        for (int i = 0; i < probabilities.size(); i++) {
            for (int j = 0; j < classes.size(); j++) {
                double p = ((Number) JsonPath.read(body, "$.predictions[" + i + "].probabilities['" + classes.get(j) + "']")).doubleValue();
                assertThat(p).as("row %d class %s", i, classes.get(j)).isCloseTo(probabilities.get(i).get(j).asDouble(), within(1e-5));
            }
        }
    }
}
