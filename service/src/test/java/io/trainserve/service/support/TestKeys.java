package io.trainserve.service.support;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * The admin key every {@link ApiTest} context starts with (as {@code trainserve.security.admin-key}) and
 * its injected MockMvc sends on every request unless the request sets its own Authorization header.
 * Security tests that need to send no key at all use {@link #bare}.
 */
public final class TestKeys {
    public static final String ADMIN = "ts_test-admin-key-000000000000000000000000000000";

    private TestKeys() {
    }

    public static String bearer(String secret) {
        return "Bearer " + secret;
    }

    /** A MockMvc through the whole filter chain that sends no key by default. */
    public static MockMvc bare(WebApplicationContext context) {
        return MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
    }

    /** Makes the auto-configured MockMvc send the admin key by default. */
    @TestConfiguration
    public static class DefaultKey {
        @Bean
        MockMvcBuilderCustomizer sendAdminKey() {
            return builder -> builder.defaultRequest(get("/").header(HttpHeaders.AUTHORIZATION, bearer(ADMIN)));
        }
    }
}
