package io.trainserve.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.trainserve.service.TrainserveApplication;
import io.trainserve.service.support.Await;
import io.trainserve.service.support.Postgres;
import io.trainserve.service.support.TestKeys;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.context.WebApplicationContext;

/**
 * Two service instances on one PostgreSQL, as a deployment runs them: a key revoked through one is
 * refused at once there and within 2 s by the other, which had it cached as verified.
 */
@EnabledIf("io.trainserve.service.support.Postgres#available")
class RevocationAcrossInstancesPostgresTest {

    @Test
    void aKeyRevokedThroughOneInstanceIsRefusedByTheOtherWithinTwoSeconds() throws Exception {
        String[] db = Postgres.freshDatabase();
        try (ConfigurableApplicationContext a = start(db, "a"); ConfigurableApplicationContext b = start(db, "b")) {
            MockMvc onA = TestKeys.bare((WebApplicationContext) a);
            MockMvc onB = TestKeys.bare((WebApplicationContext) b);
            String[] key = KeyFixtures.create(onA, "shared trainer", "trainer");
            String bearer = TestKeys.bearer(key[1]);
            onB.perform(get("/datasets").header(HttpHeaders.AUTHORIZATION, bearer)).andExpect(status().isOk());
            onB.perform(get("/datasets").header(HttpHeaders.AUTHORIZATION, bearer)).andExpect(status().isOk()); // now cached on B

            KeyFixtures.revoke(onA, key[0]);
            long revoked = System.nanoTime();
            onA.perform(get("/datasets").header(HttpHeaders.AUTHORIZATION, bearer)).andExpect(status().isUnauthorized());
            Await.until(() -> statusOf(onB, bearer) == 401, Duration.ofSeconds(2), "instance b to refuse the revoked key");
            long millis = (System.nanoTime() - revoked) / 1_000_000;
            System.out.println("instance b refused the key revoked on instance a after " + millis + " ms");
            assertThat(millis).isLessThan(2000);
        }
    }

    private static int statusOf(MockMvc mvc, String bearer) {
        try {
            return mvc.perform(get("/datasets").header(HttpHeaders.AUTHORIZATION, bearer)).andReturn().getResponse().getStatus();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConfigurableApplicationContext start(String[] db, String name) {
        String tmp = System.getProperty("java.io.tmpdir") + "/trainserve-test-" + name + "-" + System.nanoTime();
        return new SpringApplicationBuilder(TrainserveApplication.class).run(
                "--spring.datasource.url=" + db[0], "--spring.datasource.username=" + db[1], "--spring.datasource.password=" + db[2],
                "--trainserve.data-dir=" + tmp, "--server.port=0", "--db-scheduler.scheduler-name=instance-" + name,
                "--trainserve.security.admin-key=" + TestKeys.ADMIN);
    }
}
