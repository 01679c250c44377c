package io.trainserve.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.trainserve.service.support.TestKeys;
import io.trainserve.service.system.DataDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.web.context.WebApplicationContext;

/**
 * No TRAINSERVE_ADMIN_KEY and an empty database: the first start writes an admin key to
 * <data-dir>/admin.key. A metrics key given at start (as compose gives Prometheus's) is made too.
 */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:first-${random.uuid};DB_CLOSE_DELAY=-1",
        "trainserve.data-dir=${java.io.tmpdir}/trainserve-test-${random.uuid}",
        "trainserve.security.metrics-key=" + FirstStartAdminKeyTest.METRICS})
@ExtendWith(OutputCaptureExtension.class)
class FirstStartAdminKeyTest {
    static final String METRICS = "ts_prometheus-scrape-key-00000000000000000000000";
    @Autowired
    WebApplicationContext context;
    @Autowired
    DataDir dataDir;

    @Test
    void theKeyIsInAnOwnerOnlyFileWhosePathNotSecretIsLogged(CapturedOutput output) throws Exception {
        Path file = dataDir.root().resolve("admin.key");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String secret = Files.readString(file).trim();
        assertThat(secret).matches("ts_[A-Za-z0-9_-]{43}");
        var mvc = TestKeys.bare(context);
        mvc.perform(get("/keys").header(HttpHeaders.AUTHORIZATION, TestKeys.bearer(secret))).andExpect(status().isOk());
        mvc.perform(get("/keys")).andExpect(status().isUnauthorized());
        mvc.perform(get("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, TestKeys.bearer(METRICS))).andExpect(status().isOk());
        mvc.perform(get("/keys").header(HttpHeaders.AUTHORIZATION, TestKeys.bearer(METRICS))).andExpect(status().isForbidden());
        // the context started before this test method: read what the whole JVM printed so far
        String log = output.getAll();
        assertThat(log).doesNotContain(secret).doesNotContain(METRICS);
        assertThat(log).as("the log names the file").contains("Created the first admin key and wrote it to " + file);
    }
}
