package io.trainserve.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.trainserve.service.support.TestKeys;
import io.trainserve.service.system.DataDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.context.WebApplicationContext;

/** trainserve.security.enabled=false: no key needed, no admin.key written, and a loud warning. */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:open-${random.uuid};DB_CLOSE_DELAY=-1",
        "trainserve.data-dir=${java.io.tmpdir}/trainserve-test-${random.uuid}",
        "trainserve.security.enabled=false"})
@ExtendWith(OutputCaptureExtension.class)
class SecurityDisabledTest {
    @Autowired
    WebApplicationContext context;
    @Autowired
    DataDir dataDir;

    @Test
    void everythingIsOpenAndTheLogSaysSoLoudly(CapturedOutput output) throws Exception {
        TestKeys.bare(context).perform(get("/keys")).andExpect(status().isOk());
        TestKeys.bare(context).perform(get("/datasets")).andExpect(status().isOk());
        assertThat(dataDir.root().resolve("admin.key")).doesNotExist();
        assertThat(output.getAll()).contains("SECURITY IS DISABLED");
    }
}
