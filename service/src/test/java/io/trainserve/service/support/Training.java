package io.trainserve.service.support;

import static io.trainserve.service.support.TestFiles.csv;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** Real training through the API: upload a CSV, post a job, wait for SUCCEEDED, return the model version. */
public final class Training {
    private Training() {
    }

    public static String upload(MockMvc mvc, String content) throws Exception {
        String body = mvc.perform(multipart("/datasets").file(csv(content))).andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString();
        return JsonPath.read(body, "$.id");
    }

    /**
     * Trains a softmax classifier on the seeds' 8-row CSV (or any CSV with target {@code label}).
     *
     * @param testDatasetId evaluated at the end as the job's test set, or null
     * @return the version the job created
     */
    public static int softmax(MockMvc mvc, String modelId, String datasetId, String testDatasetId, double learningRate, int epochs)
            throws Exception {
        String spec = """
                {"modelId": "%s", "datasetId": "%s", "target": "label", %s
                 "preprocessing": {"scaling": "minmax"},
                 "model": {"layers": [{"type": "dense", "units": 3, "activation": "softmax"}], "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "adam", "learningRate": %s, "epochs": %d, "batchSize": 8, "seed": 1}}
                """.formatted(modelId, datasetId, testDatasetId == null ? "" : "\"test\": {\"datasetId\": \"" + testDatasetId + "\"},",
                learningRate, epochs);
        return run(mvc, spec);
    }

    /** Posts a job spec and waits for it to succeed; returns the model version it created. */
    public static int run(MockMvc mvc, String spec) throws Exception {
        String job = mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(spec)).andExpect(status().isAccepted())
                .andReturn().getResponse().getContentAsString();
        String jobId = JsonPath.read(job, "$.id");
        String[] last = new String[1];
        Await.until(() -> {
            try {
                last[0] = mvc.perform(get("/jobs/{id}", jobId)).andReturn().getResponse().getContentAsString();
                String s = JsonPath.read(last[0], "$.status");
                if (s.equals("FAILED") || s.equals("CANCELLED")) throw new AssertionError("job ended " + s + ": " + last[0]);
                return s.equals("SUCCEEDED");
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Duration.ofSeconds(60), "job " + jobId + " to succeed");
        return JsonPath.read(last[0], "$.modelVersion");
    }
}
