package io.trainserve.service.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
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
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** Sequences through the API: {@code model.inputShape} reads rows as time series for a stacked LSTM, as in the notes. */
@ApiTest
class SequenceApiTest {
    private static final int STEPS = 16;

    @Autowired
    MockMvc mvc;

    /** A sine or a square wave (label 0 / 1) of random period and phase, plus noise. */
    static double[] wave(boolean square, Random rng) {
        double period = 6 + rng.nextDouble() * 8, phase = rng.nextDouble() * 2 * Math.PI;
        double[] w = new double[STEPS];
        for (int t = 0; t < STEPS; t++) {
            double s = Math.sin(2 * Math.PI * t / period + phase);
            w[t] = (square ? Math.signum(s) * 0.8 : s) + rng.nextGaussian() * 0.1;
        }
        return w;
    }

    static String windows(int rows, long seed) {
        Random rng = new Random(seed);
        StringBuilder csv = new StringBuilder();
        for (int t = 0; t < STEPS; t++) csv.append("t").append(t).append(',');
        csv.append("shape\n");
        for (int i = 0; i < rows; i++) {
            boolean square = i % 2 == 1;
            for (double v : wave(square, rng)) csv.append(String.format(java.util.Locale.ROOT, "%.4f,", v));
            csv.append(square ? "square" : "sine").append('\n');
        }
        return csv.toString();
    }

    private static String job(String datasetId, String inputShape) {
        return """
                {"modelId": "waves", "datasetId": "%s", "target": "shape",
                 "model": {"inputShape": %s, "loss": "sparse_categorical_crossentropy", "layers": [
                   {"type": "lstm", "units": 8, "returnSequences": true},
                   {"type": "dropout", "rate": 0.1},
                   {"type": "batch_norm", "momentum": 0.9},
                   {"type": "lstm", "units": 8},
                   {"type": "dense", "units": 2, "activation": "softmax"}]},
                 "training": {"optimizer": "adam", "learningRate": 0.01, "epochs": 30, "batchSize": 16, "seed": 3}}
                """.formatted(datasetId, inputShape);
    }

    @Test
    void stackedLstmTellsSineFromSquareWaves() throws Exception {
        String train = Training.upload(mvc, windows(240, 1));
        String test = Training.upload(mvc, windows(80, 2));
        int v = Training.run(mvc, job(train, "[16, 1]"));

        mvc.perform(get("/models/waves/versions/{v}", v)).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.spec.inputShape[0]").value(16))
                .andExpect(jsonPath("$.summary.layers[0].type").value("lstm"))
                .andExpect(jsonPath("$.summary.layers[0].params").value(4 * 8 * (1 + 8 + 1)));
        mvc.perform(post("/models/waves/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"" + test + "\"}"))
                .andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.metrics.accuracy").value(greaterThanOrEqualTo(0.9)));

        // fresh windows through predict, in row form (the 16 values of one window)
        Random rng = new Random(7);
        List<List<Double>> rows = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            boolean square = i % 2 == 0;
            List<Double> row = new ArrayList<>();
            for (double x : wave(square, rng)) row.add(x);
            rows.add(row);
            expected.add(square ? "square" : "sine");
        }
        String body = mvc.perform(post("/models/waves/predict").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"instances\": " + rows + "}"))
                .andExpect(Contract.matches()).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        List<String> labels = JsonPath.read(body, "$.predictions[*].label");
        int right = 0;
        for (int i = 0; i < labels.size(); i++) if (labels.get(i).equals(expected.get(i))) right++;
        assertThat(right).as("predicted " + labels).isGreaterThanOrEqualTo(18);

        // a Keras .h5 file (LSTM layers; its numbers are checked in the engine's KerasExportTest), no ONNX form: a 409 naming it
        mvc.perform(get("/models/waves/versions/{v}/keras", v)).andExpect(status().isOk());
        mvc.perform(get("/models/waves/versions/{v}/onnx", v)).andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(containsString("lstm")));
    }

    @Test
    void inputShapeMustMatchTheWidth() throws Exception {
        String train = Training.upload(mvc, windows(10, 1));
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(job(train, "[5, 3]")))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].field").value("model.inputShape"))
                .andExpect(jsonPath("$.violations[0].given").value("[5, 3]"))
                .andExpect(jsonPath("$.violations[0].allowed").value(containsString("16")));
    }

    @Test
    void lstmNeedsASequenceAndValidSettings() throws Exception {
        String train = Training.upload(mvc, windows(10, 1));
        String noShape = job(train, "null");
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(noShape))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].field").value("model.layers[0].type"))
                .andExpect(jsonPath("$.violations[0].allowed").value(containsString("inputShape")));
        String bad = job(train, "[16, 1]").replace("\"units\": 8, \"returnSequences\": true",
                "\"units\": 8, \"returnSequences\": true, \"recurrentActivation\": \"softmax\", \"dropout\": 1.5");
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(bad))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[?(@.field == 'model.layers[0].recurrentActivation')].given").value("softmax"))
                .andExpect(jsonPath("$.violations[?(@.field == 'model.layers[0].dropout')].given").value("1.5"));
    }
}
