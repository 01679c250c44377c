package io.trainserve.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two packaged-jar instances on one fresh PostgreSQL database, each with its own (empty) data directory
 * as on two machines: jobs posted to one run on both; a dataset uploaded to one trains on the other; an
 * instance killed with -9 (or stopped with SIGTERM) mid-training has its job resumed by the other from
 * the last checkpoint; every job SUCCEEDS exactly once (one model version, one history row per epoch);
 * every model predicts through either instance.
 */
class ScaleOutE2eTest {
    static final int JOBS = 3;
    static final int EPOCHS = 30;
    private final List<ServiceProcess> started = new ArrayList<>();
    private final PostgresDb db = PostgresDb.fresh();

    @AfterEach
    void stop() throws Exception {
        for (ServiceProcess p : started) {
            System.out.println("---- log of " + p.base + " (tail)\n" + p.log());
            if (p.alive()) p.kill();
        }
    }

    /*
     * b trains one job at a time, a up to three: jobs posted to b start there and the rest go to a, which
     * keeps a free thread to take over b's job when b goes away.
     */

    @Test
    void aKilledInstancesJobIsResumedByTheOtherFromItsLastCheckpoint() throws Exception {
        ServiceProcess[] ab = instances();
        ServiceProcess a = ab[0], b = ab[1];
        Api apiA = new Api(a);
        Api apiB = new Api(b);

        String dataset = apiB.uploadCsv("blobs-on-b", csv(6_000, 1)); // stored in the database, not on b's disk
        List<String> jobs = submit(apiB, dataset, "kill");
        Set<String> workers = new HashSet<>();
        String victim = awaitRunningOn(apiA, jobs, "b", workers);
        List<String> live = new ArrayList<>();
        apiA.get("/instances").body().forEach(i -> live.add(i.get("id").asText()));
        assertThat(live).as("GET /instances").contains("a", "b");

        Instant killed = Instant.now();
        b.kill();
        Duration resumedAfter = awaitTakenOver(apiA, victim, "a");
        System.out.println("kill -9: job " + victim + " resumed on a " + resumedAfter.toMillis() + " ms after the kill");

        Map<String, JsonNode> ended = awaitAll(apiA, jobs);
        assertEveryJobSucceededOnce(apiA, ended);
        // b was seen running the victim; a may claim its first job only after that sighting (its scheduler polls
        // on its own clock), so the jobs' final workers count too
        ended.values().forEach(j -> workers.add(j.get("worker").asText()));
        assertThat(workers).as("instances that ran the jobs").contains("a", "b");
        assertThat(ended.values()).as("a trained on the dataset uploaded to b").anyMatch(j -> !j.get("id").asText().equals(victim)
                && j.get("worker").asText().equals("a"));
        assertThat(ended.get(victim).get("attempts").asInt()).isEqualTo(2);
        assertThat(ended.get(victim).get("worker").asText()).isEqualTo("a");
        assertThat(resumedAfter).as("taken over soon after the kill (dead after 4 missed 2 s heartbeats; slower on a loaded host)")
                .isLessThan(Duration.ofSeconds(40));
        assertResumedFromACheckpoint(a, victim);
        assertThat(killed).isBefore(Instant.now());

        // a brand-new instance with an empty data directory serves every model, as the first does
        ServiceProcess b2 = instance("b2", 1);
        Api apiB2 = new Api(b2);
        List<List<Object>> rows = List.of(List.of(1, 2, 0, 1, 0, 3), List.of(-2, 0, 4, 1, 1, 0));
        for (JsonNode job : ended.values()) {
            String model = job.get("modelId").asText();
            Api.Response viaA = apiA.post("/models/" + model + "/predict", Map.of("instances", rows));
            Api.Response viaB = apiB2.post("/models/" + model + "/predict", Map.of("instances", rows));
            assertThat(viaA.status()).as("predict %s on a: %s", model, viaA.body()).isEqualTo(200);
            assertThat(viaB.status()).as("predict %s on b2: %s", model, viaB.body()).isEqualTo(200);
            assertThat(viaB.body().get("predictions")).isEqualTo(viaA.body().get("predictions"));
        }
    }

    @Test
    void aStoppedInstanceHandsItsJobBackAndTheOtherResumesIt() throws Exception {
        ServiceProcess[] ab = instances();
        ServiceProcess a = ab[0], b = ab[1];
        Api apiB = new Api(b);
        Api apiA = new Api(a);

        String dataset = apiB.uploadCsv("blobs-on-b", csv(6_000, 2));
        List<String> jobs = submit(apiB, dataset, "term");
        Set<String> workers = new HashSet<>();
        String victim = awaitRunningOn(apiB, jobs, "b", workers);

        Instant stopping = Instant.now();
        assertThat(b.terminate(Duration.ofSeconds(60))).as("b stops gracefully on SIGTERM").isTrue();
        System.out.println("SIGTERM: b stopped in " + Duration.between(stopping, Instant.now()).toMillis() + " ms");
        assertThat(b.fullLog()).contains("job " + victim + " stopped by this instance's shutdown; handed back to the queue");
        Duration resumedAfter = awaitTakenOver(apiA, victim, "a");
        System.out.println("SIGTERM: job " + victim + " resumed on a " + resumedAfter.toMillis() + " ms after SIGTERM");

        Map<String, JsonNode> ended = awaitAll(apiA, jobs);
        assertEveryJobSucceededOnce(apiA, ended);
        assertThat(workers).contains("b");
        assertThat(ended.values()).as("a trained on the dataset uploaded to b").anyMatch(j -> j.get("worker").asText().equals("a"));
        assertThat(ended.get(victim).get("attempts").asInt()).isEqualTo(2);
        assertResumedFromACheckpoint(a, victim);
        for (JsonNode job : ended.values()) {
            Api.Response r = apiA.post("/models/" + job.get("modelId").asText() + "/predict",
                    Map.of("instances", List.of(List.of(1, 2, 0, 1, 0, 3))));
            assertThat(r.status()).as("predict %s: %s", job.get("modelId"), r.body()).isEqualTo(200);
        }
    }

    /** a (three job threads) and b (one), started side by side. */
    private ServiceProcess[] instances() throws Exception {
        var a = java.util.concurrent.CompletableFuture.supplyAsync(() -> instance("a", 3));
        var b = java.util.concurrent.CompletableFuture.supplyAsync(() -> instance("b", 1));
        return new ServiceProcess[]{a.get(), b.get()};
    }

    private ServiceProcess instance(String id, int concurrency) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPRING_PROFILES_ACTIVE", "postgres");
        env.put("TRAINSERVE_DB_URL", db.url);
        env.put("TRAINSERVE_DB_USER", db.user);
        env.put("TRAINSERVE_DB_PASSWORD", db.password);
        env.put("TRAINSERVE_INSTANCE_ID", id);
        env.put("TRAINSERVE_JOBS_CHECKPOINTINTERVAL", "0s"); // a checkpoint after every epoch
        env.put("TRAINSERVE_JOBS_CONCURRENCY", String.valueOf(concurrency));
        try {
            ServiceProcess p = ServiceProcess.start(env, Files.createTempDirectory("trainserve-" + id));
            synchronized (started) {
                started.add(p);
            }
            return p;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> submit(Api api, String dataset, String prefix) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            Map<String, Object> spec = Map.of("modelId", prefix + "-" + i, "datasetId", dataset, "target", "label",
                    "preprocessing", Map.of("scaling", "standardize"),
                    "model", Map.of("layers", List.of(Map.of("type", "dense", "units", 32, "activation", "relu"),
                            Map.of("type", "dense", "units", 3, "activation", "softmax")), "loss", "sparse_categorical_crossentropy"),
                    "training", Map.of("optimizer", "adam", "learningRate", 0.01, "epochs", EPOCHS, "batchSize", 8, "seed", i + 1));
            Api.Response r = api.post("/jobs", spec, Map.of("Idempotency-Key", prefix + "-job-" + i));
            assertThat(r.status()).as("POST /jobs: %s", r.body()).isEqualTo(202);
            Api.Response retry = api.post("/jobs", spec, Map.of("Idempotency-Key", prefix + "-job-" + i));
            assertThat(retry.body().get("id")).as("a retried POST returns the first job").isEqualTo(r.body().get("id"));
            ids.add(r.body().get("id").asText());
        }
        return ids;
    }

    /** Waits until {@code worker} runs one of the jobs past its second epoch; records every worker seen. */
    private static String awaitRunningOn(Api api, List<String> jobs, String worker, Set<String> workers) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
        while (Instant.now().isBefore(deadline)) {
            for (String id : jobs) {
                JsonNode j = api.get("/jobs/" + id).body();
                if (j.hasNonNull("worker")) workers.add(j.get("worker").asText());
                if ("RUNNING".equals(j.get("status").asText()) && worker.equals(j.path("worker").asText())
                        && j.path("epoch").asInt() >= 2 && j.path("epoch").asInt() < EPOCHS - 5) {
                    return id;
                }
            }
            Api.pause(200);
        }
        throw new AssertionError("no job ran on " + worker + " within 180 s (workers seen: " + workers + ")");
    }

    private static Duration awaitTakenOver(Api api, String job, String worker) {
        Instant from = Instant.now();
        Instant deadline = from.plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            JsonNode j = api.get("/jobs/" + job).body();
            if (j.get("attempts").asInt() >= 2 && worker.equals(j.path("worker").asText())) return Duration.between(from, Instant.now());
            Api.pause(100);
        }
        throw new AssertionError("job " + job + " not taken over by " + worker + ": " + api.get("/jobs/" + job).body());
    }

    private static Map<String, JsonNode> awaitAll(Api api, List<String> jobs) {
        Map<String, JsonNode> ended = new LinkedHashMap<>();
        for (String id : jobs) ended.put(id, api.awaitEnd(id, Duration.ofSeconds(300)));
        return ended;
    }

    private static void assertEveryJobSucceededOnce(Api api, Map<String, JsonNode> ended) {
        for (JsonNode job : ended.values()) {
            assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("SUCCEEDED");
            JsonNode history = api.get("/jobs/" + job.get("id").asText() + "/history").body();
            List<Integer> epochs = new ArrayList<>();
            history.forEach(row -> epochs.add(row.get("epoch").asInt()));
            assertThat(epochs).as("one history row per epoch of %s", job.get("id")).containsExactlyElementsOf(
                    IntStream.rangeClosed(1, EPOCHS).boxed().toList());
            JsonNode versions = api.get("/models/" + job.get("modelId").asText()).body().get("versions");
            assertThat(versions).as("the job registered exactly one version of %s", job.get("modelId")).hasSize(1);
        }
    }

    private static void assertResumedFromACheckpoint(ServiceProcess resumer, String job) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("job " + job + " resumes after epoch (\\d+) from its checkpoint")
                .matcher(resumer.fullLog());
        assertThat(m.find()).as("the resuming instance's log says it resumed %s from a checkpoint", job).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isBetween(1, EPOCHS - 1);
    }

    /** Three classes around separated centres in six features. */
    private static String csv(int rows, long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder("f1,f2,f3,f4,f5,f6,label\n");
        for (int i = 0; i < rows; i++) {
            int c = i % 3;
            for (int f = 0; f < 6; f++) b.append(String.format(java.util.Locale.ROOT, "%.3f,", (f % 3 == c ? 2.0 : 0.0) + r.nextGaussian()));
            b.append(c).append('\n');
        }
        return b.toString();
    }
}
