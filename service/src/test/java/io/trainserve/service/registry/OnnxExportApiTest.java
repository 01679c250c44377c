package io.trainserve.service.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.support.ApiTest;
import io.trainserve.service.support.Contract;
import io.trainserve.service.support.KerasFiles;
import io.trainserve.service.support.TestFiles;
import io.trainserve.service.support.Training;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;

/**
 * GET /models/{id}/versions/{v}/onnx run in ONNX Runtime on raw inputs gives what POST /models/{id}/predict
 * gives, for models trained through POST /jobs and for an imported Keras CNN.
 */
@ApiTest
class OnnxExportApiTest {
    private static final OrtEnvironment ORT = OrtEnvironment.getEnvironment();

    @Autowired
    MockMvc mvc;

    @Test
    void mlpWithStandardizationBatchNormAndDropoutRunsInOnnxRuntimeAsPredictDoes() throws Exception {
        SplittableRandom rng = new SplittableRandom(4);
        StringBuilder csv = new StringBuilder("x1,x2,x3,label\n");
        for (int i = 0; i < 60; i++) {
            int y = i % 3;
            csv.append(100 + 20 * y + rng.nextGaussian() * 5).append(',').append(-3 * y + rng.nextGaussian()).append(',')
                    .append(rng.nextDouble() * 1000).append(',').append(List.of("low", "mid", "high").get(y)).append('\n');
        }
        String datasetId = Training.upload(mvc, csv.toString());
        Training.run(mvc, """
                {"modelId": "onnx-mlp", "datasetId": "%s", "target": "label", "preprocessing": {"scaling": "standardize"},
                 "model": {"layers": [{"type": "dense", "units": 16, "activation": "relu"}, {"type": "batch_norm"},
                                      {"type": "dropout", "rate": 0.3}, {"type": "dense", "units": 8, "activation": "tanh"},
                                      {"type": "dense", "units": 3, "activation": "softmax"}],
                           "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "adam", "learningRate": 0.01, "epochs": 5, "batchSize": 16, "seed": 1}}""".formatted(datasetId));

        float[][] rows = new float[12][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new float[]{(float) (90 + rng.nextDouble() * 60), (float) (rng.nextDouble() * -8), (float) (rng.nextDouble() * 1000)};
        }
        assertOnnxMatchesPredict("onnx-mlp", 1, rows);
    }

    @Test
    void cnnTrainedOnImagesAndAnImportedKerasCnnRunInOnnxRuntimeAsPredictDoes(@TempDir Path dir) throws Exception {
        String images = mvc.perform(multipart("/datasets")
                        .file(new MockMultipartFile("images", "i.idx", "application/octet-stream", TestFiles.idxImages(24)))
                        .file(new MockMultipartFile("labels", "l.idx", "application/octet-stream", TestFiles.idxLabels(24, 3))))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        Training.run(mvc, """
                {"modelId": "onnx-cnn", "datasetId": "%s",
                 "model": {"layers": [{"type": "conv2d", "filters": 4, "kernelSize": [2, 2], "padding": "same", "activation": "relu"},
                                      {"type": "batch_norm"}, {"type": "max_pool2d", "poolSize": [2, 2], "padding": "same"},
                                      {"type": "flatten"}, {"type": "dropout", "rate": 0.2},
                                      {"type": "dense", "units": 3, "activation": "softmax"}],
                           "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "adam", "learningRate": 0.01, "epochs": 3, "batchSize": 8, "seed": 1}}"""
                .formatted((String) JsonPath.read(images, "$.id")));
        SplittableRandom rng = new SplittableRandom(9);
        float[][] pixels = new float[5][6];
        for (float[] row : pixels) for (int j = 0; j < row.length; j++) row[j] = (float) Math.floor(rng.nextDouble() * 256);
        assertOnnxMatchesPredict("onnx-cnn", 1, pixels);

        KerasFiles.write(dir);
        mvc.perform(multipart("/models/{id}/versions", "onnx-keras-cnn")
                        .file(new MockMultipartFile("file", "cnn.h5", "application/octet-stream", Files.readAllBytes(dir.resolve("cnn.h5")))))
                .andExpect(status().isCreated());
        var x = KerasFiles.expected(dir, "cnn").get("inputsChannelsFirst");
        float[][] keras = new float[x.size()][x.get(0).size()];
        for (int i = 0; i < keras.length; i++) for (int j = 0; j < keras[i].length; j++) keras[i][j] = (float) x.get(i).get(j).asDouble();
        assertOnnxMatchesPredict("onnx-keras-cnn", 1, keras);
    }

    @Test
    void unknownVersionIs404Problem() throws Exception {
        mvc.perform(get("/models/{id}/versions/{v}/onnx", "no-such-model", 3)).andExpect(Contract.matches())
                .andExpect(status().isNotFound()).andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(containsString("no-such-model v3")));
    }

    /** Downloads the ONNX model, runs the rows in ONNX Runtime and compares every class probability with predict's. */
    private void assertOnnxMatchesPredict(String id, int version, float[][] rows) throws Exception {
        byte[] onnx = mvc.perform(get("/models/{id}/versions/{v}/onnx", id, version)).andExpect(Contract.matches())
                .andExpect(status().isOk()).andExpect(content().contentType(MediaType.APPLICATION_OCTET_STREAM))
                .andExpect(header().string("Content-Disposition", containsString(id + "-v" + version + ".onnx")))
                .andReturn().getResponse().getContentAsByteArray();
        StringBuilder instances = new StringBuilder("[");
        for (int i = 0; i < rows.length; i++) {
            instances.append(i == 0 ? "[" : ",[");
            for (int j = 0; j < rows[i].length; j++) instances.append(j == 0 ? "" : ",").append(rows[i][j]);
            instances.append(']');
        }
        String predicted = mvc.perform(post("/models/{id}/predict", id).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"instances\": " + instances + "]}"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        try (OrtSession s = ORT.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(ORT, rows);
             OrtSession.Result r = s.run(Map.of("features", in))) {
            List<String> classes = JsonPath.read(s.getMetadata().getCustomMetadata().get("class_names"), "$");
            float[][] out = (float[][]) r.get("probabilities").orElseThrow().getValue();
            assertThat(out).hasNumberOfRows(rows.length);
            for (int i = 0; i < rows.length; i++) {
                assertThat(out[i]).hasSize(classes.size());
                for (int j = 0; j < classes.size(); j++) {
                    double p = ((Number) JsonPath.read(predicted, "$.predictions[" + i + "].probabilities['" + classes.get(j) + "']")).doubleValue();
                    assertThat((double) out[i][j]).as("%s row %d class %s", id, i, classes.get(j)).isCloseTo(p, within(1e-5));
                }
            }
        }
    }
}
