package io.trainserve.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trainserve.service.TrainserveApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** A too-short TRAINSERVE_ADMIN_KEY stops the service at start with a message saying why. */
class StartupSettingsTest {
    @Test
    void anAdminKeyShorterThan32CharactersIsRefusedAtStart() {
        SpringApplicationBuilder app = new SpringApplicationBuilder(TrainserveApplication.class).properties(
                "spring.datasource.url=jdbc:h2:mem:short-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                "trainserve.data-dir=" + System.getProperty("java.io.tmpdir") + "/trainserve-test-short-" + System.nanoTime(),
                "server.port=0");
        assertThatThrownBy(() -> {
            // a command-line argument, like the environment variable, outranks application.yml
            try (var context = app.run("--trainserve.security.admin-key=too-short-secret")) {
                assertThat(context).as("started").isNull();
            }
        }).satisfies(e -> {
            StringBuilder messages = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) messages.append(t.getMessage()).append('\n');
            assertThat(messages.toString()).contains("TRAINSERVE_ADMIN_KEY", "16 characters long", "at least 32")
                    .doesNotContain("too-short-secret");
        });
    }
}
