package io.trainserve.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.trainserve.service.support.ApiTest;
import io.trainserve.service.support.Contract;
import io.trainserve.service.support.TestKeys;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.context.WebApplicationContext;

@ApiTest
class KeysApiTest {
    @Autowired
    MockMvc mvc;
    @Autowired
    WebApplicationContext context;
    @Autowired
    KeyAuthenticator authenticator;
    MockMvc bare;

    @BeforeEach
    void bare() {
        bare = TestKeys.bare(context);
    }

    @Test
    void aKeyIsShownOnceWorksAtOnceAndStopsAtOnceWhenRevoked() throws Exception {
        String answer = mvc.perform(post("/keys").contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"ci trainer\", \"role\": \"trainer\"}"))
                .andExpect(status().isCreated()).andExpect(Contract.matches())
                .andExpect(header().string(HttpHeaders.LOCATION, org.hamcrest.Matchers.containsString("/keys/")))
                .andExpect(jsonPath("$.role").value("trainer"))
                .andExpect(jsonPath("$.createdBy").value(AdminKeyBootstrap.ENV_KEY_NAME))
                .andReturn().getResponse().getContentAsString();
        String id = com.jayway.jsonpath.JsonPath.read(answer, "$.id");
        String secret = com.jayway.jsonpath.JsonPath.read(answer, "$.key");
        assertThat(secret).matches("ts_[A-Za-z0-9_-]{43}");

        bare.perform(get("/datasets").header(HttpHeaders.AUTHORIZATION, TestKeys.bearer(secret))).andExpect(status().isOk());
        String list = mvc.perform(get("/keys")).andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$[*].id").value(hasItem(id))).andReturn().getResponse().getContentAsString();
        assertThat(list).doesNotContain(secret).doesNotContain("\"key\"");

        // last use is written in a batch, not per request
        authenticator.flushLastUsed();
        mvc.perform(get("/keys")).andExpect(jsonPath("$[?(@.id == '" + id + "')].lastUsedAt").isNotEmpty());

        KeyFixtures.revoke(mvc, id);
        bare.perform(get("/datasets").header(HttpHeaders.AUTHORIZATION, TestKeys.bearer(secret)))
                .andExpect(status().isUnauthorized()).andExpect(Contract.responseMatches())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, org.hamcrest.Matchers.startsWith("Bearer")))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("revoked")));
        mvc.perform(get("/keys")).andExpect(jsonPath("$[*].id").value(not(hasItem(id))));
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete("/keys/{id}", id))
                .andExpect(status().isNotFound()).andExpect(Contract.matches());

        mvc.perform(get("/audit").param("actor", AdminKeyBootstrap.ENV_KEY_NAME)).andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$[?(@.action == 'key.create')].target").value(hasItem(id + " (ci trainer, trainer)")))
                .andExpect(jsonPath("$[?(@.action == 'key.revoke')].target").value(hasItem(id + " (ci trainer)")));
    }

    @Test
    void badKeyRequestsName400TheFieldAndWhatIsAllowed() throws Exception {
        bad("{\"name\": \"x\", \"role\": \"root\"}", "role", "admin, trainer, predictor, metrics");
        bad("{\"name\": \"  \", \"role\": \"trainer\"}", "name", "a non-blank name of at most 100 characters");
        bad("{\"name\": \"x\", \"role\": \"trainer\", \"models\": [\"m\"]}", "models", "only for role predictor");
        bad("{\"name\": \"x\", \"role\": \"admin\", \"expiresAt\": \"" + Instant.now().minusSeconds(5) + "\"}", "expiresAt", "a time in the future");
        mvc.perform(get("/audit").param("limit", "0")).andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("limit"));
    }

    private void bad(String body, String field, String allowed) throws Exception {
        mvc.perform(post("/keys").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isBadRequest()).andExpect(Contract.responseMatches())
                .andExpect(jsonPath("$.field").value(field)).andExpect(jsonPath("$.allowed").value(allowed));
    }

    @Test
    void aPredictorKeyLimitedToModelsIsRefusedOthers() throws Exception {
        String secret = KeyFixtures.create(mvc, "scoped", "predictor", "iris")[1];
        String predict = "{\"instances\": [[1, 2, 3, 4]]}";
        bare.perform(post("/models/{id}/predict", "fraud").header(HttpHeaders.AUTHORIZATION, TestKeys.bearer(secret))
                        .contentType(MediaType.APPLICATION_JSON).content(predict))
                .andExpect(status().isForbidden()).andExpect(Contract.responseMatches())
                .andExpect(jsonPath("$.code").value("forbidden")).andExpect(jsonPath("$.field").value("models"))
                .andExpect(jsonPath("$.given").value("fraud")).andExpect(jsonPath("$.allowed").value("iris"));
        bare.perform(get("/models/{id}", "fraud").header(HttpHeaders.AUTHORIZATION, TestKeys.bearer(secret))).andExpect(status().isForbidden());
        // its own model: past security (no such model yet, so 404)
        bare.perform(post("/models/{id}/predict", "iris").header(HttpHeaders.AUTHORIZATION, TestKeys.bearer(secret))
                .contentType(MediaType.APPLICATION_JSON).content(predict)).andExpect(status().isNotFound());
        bare.perform(get("/models").header(HttpHeaders.AUTHORIZATION, TestKeys.bearer(secret))).andExpect(status().isOk());
    }

    @Test
    void probesArePublicWithoutDetailsAndMetricsNeedAMetricsOrAdminKey() throws Exception {
        String metrics = KeyFixtures.create(mvc, "prometheus", "metrics")[1];
        String predictor = KeyFixtures.create(mvc, "app", "predictor")[1];
        for (String probe : new String[]{"/actuator/health/liveness", "/actuator/health/readiness"}) {
            String body = bare.perform(get(probe)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            assertThat(body).isEqualTo("{\"status\":\"UP\"}");
        }
        bare.perform(get("/actuator/health/readiness").header(HttpHeaders.AUTHORIZATION, TestKeys.bearer(metrics)))
                .andExpect(jsonPath("$.components.dataDirectory.status").value("UP"));
        for (String path : new String[]{"/actuator/health", "/actuator/prometheus", "/actuator/metrics"}) {
            bare.perform(get(path)).andExpect(status().isUnauthorized()).andExpect(jsonPath("$.code").value("unauthorized"));
            bare.perform(get(path).header(HttpHeaders.AUTHORIZATION, TestKeys.bearer(predictor)))
                    .andExpect(status().isForbidden()).andExpect(jsonPath("$.allowed").value("admin, metrics"));
            bare.perform(get(path).header(HttpHeaders.AUTHORIZATION, TestKeys.bearer(metrics))).andExpect(status().isOk());
        }
        bare.perform(get("/actuator/env").header(HttpHeaders.AUTHORIZATION, TestKeys.bearer(metrics))).andExpect(status().isForbidden());
        bare.perform(get("/openapi.yaml")).andExpect(status().isOk());
        String scrape = bare.perform(get("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, TestKeys.bearer(metrics)))
                .andReturn().getResponse().getContentAsString();
        assertThat(scrape).doesNotContain(metrics).doesNotContain(predictor).doesNotContain(TestKeys.ADMIN);
    }

    @Test
    void aNonBearerOrEmptyAuthorizationIsAnonymous() throws Exception {
        bare.perform(get("/datasets").header(HttpHeaders.AUTHORIZATION, "Basic YWRtaW46YWRtaW4="))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("needs an API key")));
        bare.perform(get("/datasets").header(HttpHeaders.AUTHORIZATION, "bearer " + TestKeys.ADMIN)).andExpect(status().isOk());
    }

    @Test
    void corsIsClosedByDefault() throws Exception {
        bare.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options("/datasets")
                        .header(HttpHeaders.ORIGIN, "https://evil.example").header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET"))
                .andExpect(header().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN));
        mvc.perform(get("/datasets").header(HttpHeaders.ORIGIN, "https://evil.example"))
                .andExpect(header().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN));
    }
}
