package io.trainserve.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A one-million-row CSV through {@code POST /models/{id}/predict} on a service started with a 128 MB heap:
 * the request (~20 MB) is generated while it is sent and the answer (~50 MB) read line by line, so the
 * test proves the service streams both ways. Holding either in memory, or a prediction object per row,
 * would not fit in that heap.
 */
class LargeCsvPredictE2eTest {
    static final long ROWS = 1_000_000;
    static ServiceProcess small;

    @BeforeAll
    static void start() throws Exception {
        // the native (ND4J) allocations are not what this test limits: JavaCPP's budget defaults to -Xmx
        small = ServiceProcess.start(java.util.Map.of(), java.nio.file.Files.createTempDirectory("trainserve-e2e-small-heap"),
                List.of("-Xmx128m", "-Dorg.bytedeco.javacpp.maxbytes=2g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=6g"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (small != null) small.terminate(Duration.ofSeconds(30));
    }

    @Test
    void aMillionRowCsvIsPredictedInBoundedMemory() throws Exception {
        Api api = new Api(small);
        String dataset = api.uploadCsv("softmax8", TrainAndPredictE2eTest.read("softmax8.csv"));
        JsonNode job = api.train("""
                {"modelId": "bulk", "datasetId": "%s", "target": "y",
                 "model": {"layers": [{"type": "dense", "units": 3, "activation": "softmax"}], "loss": "categorical_crossentropy"},
                 "training": {"optimizer": "sgd", "learningRate": 0.1, "epochs": 2000, "batchSize": 8, "seed": 1}}
                """.formatted(dataset), Duration.ofMinutes(3));
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");

        AtomicLong lines = new AtomicLong();
        AtomicReference<String> header = new AtomicReference<>();
        AtomicReference<String> last = new AtomicReference<>();
        AtomicLong firstClassRows = new AtomicLong();
        int status = api.postStreaming("/models/bulk/predict?echo=id", "text/csv", Rows::new, line -> {
            if (lines.getAndIncrement() == 0) header.set(line);
            else if (line.contains(",0,0,")) firstClassRows.incrementAndGet();
            last.set(line);
        });

        assertThat(status).as("status; last line: %s", last.get()).isEqualTo(200);
        assertThat(header.get()).isEqualTo("id,label,classIndex,prob_0,prob_1,prob_2");
        assertThat(lines.get()).isEqualTo(ROWS + 1);
        assertThat(last.get()).startsWith("r" + (ROWS - 1) + ",");
        // two of every 8 rows are the notes' class-0 rows [1, 6, 6, 6] and [1, 7, 7, 7]: exactly those answer class 0
        assertThat(firstClassRows.get()).isEqualTo(ROWS / 4);
    }

    /** id,x4,x3,extra,x2,x1 (columns shuffled, one ignored): the notes' 8 rows over and over, made as they are read. */
    static final class Rows extends InputStream {
        static final String[] CYCLE = {"1,1,2,1", "2,3,1,2", "4,3,1,3", "5,5,1,4", "5,5,7,1", "6,5,2,1", "6,6,6,1", "7,7,7,1"};
        long row = -1;
        byte[] current = "id,x4,x3,extra,x2,x1\n".getBytes(StandardCharsets.UTF_8);
        int at;

        @Override
        public int read() {
            if (at == current.length && !next()) return -1;
            return current[at++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at == current.length && !next()) return -1;
            int n = Math.min(len, current.length - at);
            System.arraycopy(current, at, b, off, n);
            at += n;
            return n;
        }

        private boolean next() {
            if (++row >= ROWS) return false;
            // CYCLE holds x4,x3,x2,x1 of the notes' rows in their order
            String[] v = CYCLE[(int) (row % 8)].split(",");
            current = ("r" + row + "," + v[0] + "," + v[1] + ",zz," + v[2] + "," + v[3] + "\n").getBytes(StandardCharsets.UTF_8);
            at = 0;
            return true;
        }
    }
}
