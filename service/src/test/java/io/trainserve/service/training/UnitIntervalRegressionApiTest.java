package io.trainserve.service.training;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.trainserve.service.support.ApiTest;
import io.trainserve.service.support.Contract;
import io.trainserve.service.support.Training;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** 0-1 regression (the notes' model-selection table): a sigmoid output with mse or binary_crossentropy against a real target in [0, 1]. */
@ApiTest
class UnitIntervalRegressionApiTest {
    @Autowired
    MockMvc mvc;

    private static String share(double scale) {
        StringBuilder csv = new StringBuilder("x,share\n");
        for (int i = 0; i <= 40; i++) {
            double x = -4 + i * 0.2;
            csv.append(String.format(Locale.ROOT, "%.2f,%.5f%n", x, scale / (1 + Math.exp(-1.5 * x))));
        }
        return csv.toString();
    }

    private static String job(String datasetId) {
        return """
                {"modelId": "share", "datasetId": "%s", "target": "share",
                 "model": {"layers": [{"type": "dense", "units": 8, "activation": "tanh"},
                                      {"type": "dense", "units": 1, "activation": "sigmoid"}], "loss": "mse"},
                 "training": {"optimizer": "adam", "learningRate": 0.05, "epochs": 300, "batchSize": 41, "seed": 1}}
                """.formatted(datasetId);
    }

    @Test
    void sigmoidOutputLearnsAFractionInZeroToOne() throws Exception {
        String data = Training.upload(mvc, share(1.0));
        Training.run(mvc, job(data));
        predictsTheCurve();
    }

    /** The model's answers at three points of the logistic curve the data follows. */
    private void predictsTheCurve() throws Exception {
        mvc.perform(post("/models/share/predict").contentType(MediaType.APPLICATION_JSON).content("{\"instances\": [[-3], [0], [2.5]]}"))
                .andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.predictions[0].value").value(closeTo(1 / (1 + Math.exp(4.5)), 0.05), Double.class))
                .andExpect(jsonPath("$.predictions[1].value").value(closeTo(0.5, 0.05), Double.class))
                .andExpect(jsonPath("$.predictions[2].value").value(closeTo(1 / (1 + Math.exp(-3.75)), 0.05), Double.class));
    }

    @Test
    void targetsOutsideZeroToOneAreRefusedForASigmoidOutput() throws Exception {
        String data = Training.upload(mvc, share(3.0));
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(job(data)))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].field").value("target"))
                .andExpect(jsonPath("$.violations[0].given").value(containsString("ranging from")))
                .andExpect(jsonPath("$.violations[0].allowed").value(containsString("[0, 1]")));
        // the same values with a linear output are an ordinary regression
        Training.run(mvc, job(data).replace("\"sigmoid\"", "\"linear\""));
    }

    @Test
    void binaryCrossEntropyLearnsAFractionInZeroToOne() throws Exception {
        String data = Training.upload(mvc, share(1.0));
        // binary cross-entropy's gradient lacks mse's sigmoid-slope factor: fewer epochs of smaller batches do
        int v = Training.run(mvc, job(data).replace("\"mse\"", "\"binary_crossentropy\"")
                .replace("\"epochs\": 300, \"batchSize\": 41", "\"epochs\": 80, \"batchSize\": 8"));
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/models/share/versions/{v}", v))
                .andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.task").value("regression"))
                .andExpect(jsonPath("$.metrics.mae").value(org.hamcrest.Matchers.lessThan(0.05), Double.class))
                .andExpect(jsonPath("$.metrics.binary_accuracy").isNumber());
        predictsTheCurve();
    }

    @Test
    void binaryCrossEntropyRefusesTargetsOutsideZeroToOneAndNonSigmoidOutputs() throws Exception {
        String data = Training.upload(mvc, share(3.0));
        String bce = job(data).replace("\"mse\"", "\"binary_crossentropy\"");
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(bce))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].field").value("target"))
                .andExpect(jsonPath("$.violations[0].given").value(containsString("ranging from")))
                .andExpect(jsonPath("$.violations[0].allowed").value(containsString("[0, 1]")));
        String inRange = Training.upload(mvc, share(1.0));
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(job(inRange)
                        .replace("\"mse\"", "\"binary_crossentropy\"").replace("\"sigmoid\"", "\"linear\"")))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].field").value("model.layers[1].activation"))
                .andExpect(jsonPath("$.violations[0].allowed").value(containsString("sigmoid")));
    }
}
