package io.trainserve.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs last in the e2e run (the surefire configuration orders classes by {@code @Order}): makes, uses,
 * mistypes and revokes keys, then reads the service's whole log, everything every e2e test made it
 * write, and finds none of the secrets used.
 */
@Order(Integer.MAX_VALUE)
class SecretsNotInLogE2eTest {
    private final Api admin = new Api();

    @Test
    void noSecretUsedInTheRunAppearsInTheLogOrTheMetrics() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(ServiceProcess.ADMIN_KEY));
        Api.Response trainerKey = admin.post("/keys", Map.of("name", "e2e trainer", "role", "trainer"));
        assertThat(trainerKey.status()).as("POST /keys: %s", trainerKey.body()).isEqualTo(201);
        String trainerSecret = trainerKey.body().get("key").asText();
        secrets.add(trainerSecret);
        Api.Response predictorKey = admin.post("/keys", Map.of("name", "e2e predictor", "role", "predictor"));
        String predictorSecret = predictorKey.body().get("key").asText();
        secrets.add(predictorSecret);

        Api trainer = new Api(trainerSecret);
        String dataset = trainer.uploadCsv("secrets", "x,label\n1,0\n2,1\n3,0\n4,1\n");
        assertThat(trainer.post("/jobs", "{\"modelId\": \"secrets\", \"datasetId\": \"" + dataset + "\", \"target\": \"nope\"}").status())
                .isEqualTo(400);
        Api predictor = new Api(predictorSecret);
        assertThat(predictor.get("/models").status()).isEqualTo(200);
        assertThat(predictor.get("/datasets").status()).isEqualTo(403);
        String wrong = "ts_wrongwrongwrongwrongwrongwrongwrongwrongwro";
        secrets.add(wrong);
        Api.Response refused = new Api(wrong).get("/datasets");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(new String(refused.raw(), StandardCharsets.UTF_8)).doesNotContain(wrong);
        assertThat(admin.delete("/keys/" + trainerKey.body().get("id").asText()).status()).isEqualTo(204);
        assertThat(trainer.get("/datasets").status()).isEqualTo(401);
        assertThat(new Api((String) null).get("/datasets").status()).isEqualTo(401);

        String metrics = new String(admin.get("/actuator/prometheus").raw(), StandardCharsets.UTF_8);
        String log = ServiceProcess.get().fullLog();
        assertThat(log).as("service log").contains("admin (TRAINSERVE_ADMIN_KEY) is now a key of role admin");
        for (String secret : secrets) {
            assertThat(log).as("service log").doesNotContain(secret);
            assertThat(metrics).as("metrics").doesNotContain(secret);
        }
        // the environment's key was used, so no key file was written
        assertThat(Files.exists(ServiceProcess.get().dataDir.resolve("admin.key"))).isFalse();
    }
}
