package io.trainserve.service.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
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

/**
 * GRU and embedding layers through the API: a stacked GRU tells sine from square windows, an embedding
 * reads token ids (IMDB-style rows of word ids) for a GRU or a pooled bag, and ids outside the vocabulary
 * are refused at training and predict, naming the row or instance and the column.
 */
@ApiTest
class GruEmbeddingApiTest {
    private static final int LENGTH = 10, VOCABULARY = 20, MARKER = 7;

    @Autowired
    MockMvc mvc;

    @Test
    void stackedGruTellsSineFromSquareWaves() throws Exception {
        String train = Training.upload(mvc, SequenceApiTest.windows(240, 1));
        String test = Training.upload(mvc, SequenceApiTest.windows(80, 2));
        int v = Training.run(mvc, """
                {"modelId": "gru-waves", "datasetId": "%s", "target": "shape",
                 "model": {"inputShape": [16, 1], "loss": "sparse_categorical_crossentropy", "layers": [
                   {"type": "gru", "units": 8, "returnSequences": true},
                   {"type": "dropout", "rate": 0.1},
                   {"type": "batch_norm", "momentum": 0.9},
                   {"type": "gru", "units": 8, "dropout": 0.1},
                   {"type": "dense", "units": 2, "activation": "softmax"}]},
                 "training": {"optimizer": "adam", "learningRate": 0.01, "epochs": 30, "batchSize": 16, "seed": 3}}
                """.formatted(train));

        mvc.perform(get("/models/gru-waves/versions/{v}", v)).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.summary.layers[0].type").value("gru"))
                // Keras 2's reset_after GRU: kernel 1 x 24, recurrent kernel 8 x 24, two 24-wide biases
                .andExpect(jsonPath("$.summary.layers[0].params").value(3 * 8 * (1 + 8 + 2)));
        mvc.perform(post("/models/gru-waves/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"" + test + "\"}"))
                .andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.metrics.accuracy").value(greaterThanOrEqualTo(0.9)));
        // a Keras .h5 file (numbers checked in the engine's KerasExportTest); no ONNX form: a 409 naming the layers
        mvc.perform(get("/models/gru-waves/versions/{v}/keras", v)).andExpect(status().isOk());
        mvc.perform(get("/models/gru-waves/versions/{v}/onnx", v)).andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(containsString("recurrent layers (lstm, gru)")));
    }

    /** Random token ids 0..19 without the marker; label yes when the marker was put at a random place. */
    private static List<Integer> tokens(boolean marked, Random rng) {
        List<Integer> row = new ArrayList<>();
        for (int t = 0; t < LENGTH; t++) {
            int id = rng.nextInt(VOCABULARY - 1);
            row.add(id >= MARKER ? id + 1 : id);
        }
        if (marked) row.set(rng.nextInt(LENGTH), MARKER);
        return row;
    }

    private static String sequences(int rows, long seed) {
        Random rng = new Random(seed);
        StringBuilder csv = new StringBuilder();
        for (int t = 0; t < LENGTH; t++) csv.append("w").append(t).append(',');
        csv.append("has7\n");
        for (int i = 0; i < rows; i++) {
            boolean marked = i % 2 == 0;
            for (int id : tokens(marked, rng)) csv.append(id).append(',');
            csv.append(marked ? "yes" : "no").append('\n');
        }
        return csv.toString();
    }

    private static String tokenJob(String modelId, String datasetId, String layers, String extra) {
        return """
                {"modelId": "%s", "datasetId": "%s", "target": "has7" %s,
                 "model": {"loss": "sparse_categorical_crossentropy", "layers": [%s]},
                 "training": {"optimizer": "adam", "learningRate": 0.02, "epochs": 25, "batchSize": 16, "seed": 5}}
                """.formatted(modelId, datasetId, extra, layers);
    }

    private static final String EMBEDDING_GRU = """
            {"type": "embedding", "inputDim": 20, "outputDim": 8},
            {"type": "gru", "units": 8},
            {"type": "dense", "units": 2, "activation": "softmax"}""";

    @Test
    void embeddingAndGruLearnWhetherATokenOccurs() throws Exception {
        String train = Training.upload(mvc, sequences(300, 1));
        String test = Training.upload(mvc, sequences(100, 2));
        int v = Training.run(mvc, tokenJob("has7-gru", train, EMBEDDING_GRU, ""));

        mvc.perform(get("/models/has7-gru/versions/{v}", v)).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.spec.layers[0].inputDim").value(VOCABULARY))
                .andExpect(jsonPath("$.summary.layers[0].type").value("embedding"))
                .andExpect(jsonPath("$.summary.layers[0].params").value(VOCABULARY * 8));
        mvc.perform(post("/models/has7-gru/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"" + test + "\"}"))
                .andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.metrics.accuracy").value(greaterThanOrEqualTo(0.9)));

        Random rng = new Random(9);
        List<List<Integer>> rows = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(tokens(i % 2 == 1, rng));
            expected.add(i % 2 == 1 ? "yes" : "no");
        }
        String body = mvc.perform(post("/models/has7-gru/predict").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"instances\": " + rows + "}"))
                .andExpect(Contract.matches()).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        List<String> labels = JsonPath.read(body, "$.predictions[*].label");
        int right = 0;
        for (int i = 0; i < labels.size(); i++) if (labels.get(i).equals(expected.get(i))) right++;
        assertThat(right).as("predicted " + labels).isGreaterThanOrEqualTo(18);

        // a token id outside the vocabulary, or not a whole number, at predict: 400 naming the instance and column
        List<Integer> outside = new ArrayList<>(rows.get(0));
        outside.set(3, VOCABULARY);
        mvc.perform(post("/models/has7-gru/predict").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"instances\": [" + rows.get(1) + ", " + outside + "]}"))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("instances[1].w3"))
                .andExpect(jsonPath("$.given").value("20"))
                .andExpect(jsonPath("$.allowed").value(containsString("0 to 19")));
        mvc.perform(post("/models/has7-gru/predict").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"instances\": [{\"w0\": 1, \"w1\": 2.5, \"w2\": 1, \"w3\": 1, \"w4\": 1, \"w5\": 1, \"w6\": 1, "
                                + "\"w7\": 1, \"w8\": 1, \"w9\": 1}]}"))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("instances[0].w1"))
                .andExpect(jsonPath("$.given").value("2.5"));
        String csv = "w0,w1,w2,w3,w4,w5,w6,w7,w8,w9\n1,2,3,4,5,6,7,8,9,10\n1,2,3,4,5,6,7,8,9,-1\n";
        mvc.perform(post("/models/has7-gru/predict").contentType("text/csv").content(csv))
                .andExpect(status().isUnprocessableContent()) // as any bad cell of a CSV file
                .andExpect(jsonPath("$.row").value(3))
                .andExpect(jsonPath("$.column").value("w9"))
                .andExpect(jsonPath("$.given").value("'-1'"))
                .andExpect(jsonPath("$.allowed").value(containsString("0 to 19")));
    }

    @Test
    void embeddingBagWithGlobalAveragePooling() throws Exception {
        String train = Training.upload(mvc, sequences(300, 3));
        String test = Training.upload(mvc, sequences(100, 4));
        int v = Training.run(mvc, tokenJob("has7-bag", train, """
                {"type": "embedding", "inputDim": 20, "outputDim": 8},
                {"type": "global_average_pooling1d"},
                {"type": "dense", "units": 8, "activation": "relu"},
                {"type": "dense", "units": 2, "activation": "softmax"}""", ""));
        mvc.perform(post("/models/has7-bag/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"" + test + "\"}"))
                .andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.metrics.accuracy").value(greaterThanOrEqualTo(0.9)));
        // a Keras .h5 file, but no ONNX form for an embedding here: a 409 naming the layer
        mvc.perform(get("/models/has7-bag/versions/{v}/keras", v)).andExpect(status().isOk());
        mvc.perform(get("/models/has7-bag/versions/{v}/onnx", v)).andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(containsString("embedding")));
    }

    @Test
    void tokenIdsOutsideTheVocabularyAreRefusedWhenTheJobIsPosted() throws Exception {
        String data = sequences(20, 1).replaceFirst("\n(\\d+),(\\d+),(\\d+),(\\d+),", "\n$1,$2,$3,25,");
        String train = Training.upload(mvc, data);
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(tokenJob("bad", train, EMBEDDING_GRU, "")))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].field").value("datasetId"))
                .andExpect(jsonPath("$.violations[0].given").value(allOf(containsString("w3"), containsString("25"))))
                .andExpect(jsonPath("$.violations[0].allowed").value(containsString("0 to 19")));
        // evaluating a trained embedding model on such a set names the row and column
        String good = Training.upload(mvc, sequences(40, 5));
        int v = Training.run(mvc, tokenJob("has7-eval", good, EMBEDDING_GRU, "").replace("\"epochs\": 25", "\"epochs\": 1"));
        mvc.perform(post("/models/has7-eval/versions/{v}/evaluate", v).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"datasetId\": \"" + train + "\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(allOf(containsString("row 1"), containsString("w3"), containsString("25"))));
    }

    @Test
    void embeddingMustComeFirstTakeNoScalingAndHaveItsSizes() throws Exception {
        String train = Training.upload(mvc, sequences(20, 1));
        String notFirst = """
                {"type": "dense", "units": 4},
                {"type": "embedding", "inputDim": 20, "outputDim": 8},
                {"type": "dense", "units": 2, "activation": "softmax"}""";
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(tokenJob("bad", train, notFirst, "")))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].field").value("model.layers[1].type"))
                .andExpect(jsonPath("$.violations[0].allowed").value(containsString("first layer")));
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON)
                        .content(tokenJob("bad", train, EMBEDDING_GRU, ", \"preprocessing\": {\"scaling\": \"minmax\"}")))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].field").value("preprocessing.scaling"))
                .andExpect(jsonPath("$.violations[0].allowed").value(containsString("token ids")));
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON)
                        .content(tokenJob("bad", train, EMBEDDING_GRU.replace("\"outputDim\": 8", "\"units\": 8"), "")))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].field").value("model.layers[0].outputDim"));
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON)
                        .content(tokenJob("bad", train, EMBEDDING_GRU, "").replace("\"model\": {", "\"model\": {\"inputShape\": [5, 2], ")))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].field").value("model.inputShape"));
        String gruOnRows = EMBEDDING_GRU.replace("{\"type\": \"embedding\", \"inputDim\": 20, \"outputDim\": 8},", "");
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(tokenJob("bad", train, gruOnRows, "")))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].field").value("model.layers[0].type"))
                .andExpect(jsonPath("$.violations[0].allowed").value(containsString("embedding")));
    }
}
