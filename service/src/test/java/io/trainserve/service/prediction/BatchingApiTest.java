package io.trainserve.service.prediction;

import static io.trainserve.service.support.TestFiles.SOFTMAX_CSV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.support.ApiTest;
import io.trainserve.service.support.Training;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** Dynamic batching on: concurrent callers share forward passes, and each still gets exactly its own rows. */
@ApiTest
@TestPropertySource(properties = {
        "trainserve.serving.batching.enabled=true",
        "trainserve.serving.batching.max-batch-size=64",
        "trainserve.serving.batching.max-delay=300ms"})
class BatchingApiTest {
    static final int CALLERS = 12;
    @Autowired
    MockMvc mvc;

    String predict(String body) throws Exception {
        var r = mvc.perform(post("/models/batched/predict").contentType(MediaType.APPLICATION_JSON).content(body)).andReturn().getResponse();
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
        return r.getContentAsString();
    }

    @Test
    void concurrentCallersShareBatchesAndEachGetsItsOwnRows() throws Exception {
        Training.softmax(mvc, "batched", Training.upload(mvc, SOFTMAX_CSV), null, 0.1, 300);
        List<String> bodies = new ArrayList<>();
        int totalRows = 0;
        for (int c = 0; c < CALLERS; c++) {
            int n = 1 + c % 3; // 1..3 rows per caller, all different
            List<String> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) rows.add("[" + (1 + (c * 7 + i * 3) % 9) + ", " + (1 + (c * 5 + i * 2) % 9) + "]");
            bodies.add("{\"instances\": [" + String.join(", ", rows) + "]}");
            totalRows += n;
        }
        List<String> alone = new ArrayList<>();
        for (String body : bodies) alone.add(predict(body)); // one at a time: each a batch of its own
        double[] before = batchMetric();
        assertThat(before[0]).isEqualTo(CALLERS);

        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            for (String body : bodies) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return predict(body);
                }));
            }
            go.countDown();
            for (int c = 0; c < CALLERS; c++) {
                String together = answers.get(c).get(60, TimeUnit.SECONDS);
                List<String> labels = JsonPath.read(together, "$.predictions[*].label");
                assertThat(labels).as("caller %d", c).isEqualTo(JsonPath.read(alone.get(c), "$.predictions[*].label"));
                List<Map<String, Number>> p = JsonPath.read(together, "$.predictions[*].probabilities");
                List<Map<String, Number>> q = JsonPath.read(alone.get(c), "$.predictions[*].probabilities");
                assertThat(p).hasSameSizeAs(q);
                for (int i = 0; i < p.size(); i++) {
                    for (String k : q.get(i).keySet()) {
                        assertThat(p.get(i).get(k).doubleValue()).isCloseTo(q.get(i).get(k).doubleValue(), Offset.offset(1e-5));
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        double[] after = batchMetric();
        assertThat(after[1] - before[1]).as("rows through batches").isEqualTo(totalRows);
        assertThat(after[0] - before[0]).as("forward passes for %d concurrent callers", CALLERS).isLessThan(CALLERS);
        String scrape = mvc.perform(get("/actuator/prometheus")).andReturn().getResponse().getContentAsString();
        assertThat(scrape.lines()).anyMatch(l -> l.startsWith("trainserve_prediction_batch_rows_bucket{") && l.contains("model=\"batched\""));
    }

    /** count and sum of trainserve_prediction_batch_rows for the model. */
    private double[] batchMetric() throws Exception {
        String scrape = mvc.perform(get("/actuator/prometheus")).andReturn().getResponse().getContentAsString();
        double[] out = new double[2];
        for (String line : scrape.lines().toList()) {
            if (!line.contains("model=\"batched\"")) continue;
            double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.startsWith("trainserve_prediction_batch_rows_count{")) out[0] = v;
            if (line.startsWith("trainserve_prediction_batch_rows_sum{")) out[1] = v;
        }
        return out;
    }
}
