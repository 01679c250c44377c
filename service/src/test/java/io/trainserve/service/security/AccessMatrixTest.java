package io.trainserve.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.support.ApiTest;
import io.trainserve.service.support.Contract;
import io.trainserve.service.support.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.AbstractMockHttpServletRequestBuilder;
import org.springframework.web.context.WebApplicationContext;
import org.yaml.snakeyaml.Yaml;

/**
 * Every operation of api-spec/openapi.yaml (so also those added later) tried with no key, a wrong key,
 * an expired key, a revoked key and a key of each role: 401 problems with {@code WWW-Authenticate:
 * Bearer} for the first four; for each role exactly what the operation's {@code x-roles} says: a 403
 * problem naming those roles, or an answer that is neither 401 nor 403 (ids are made up, so a 404 or a
 * 400 is a pass there: the request got past security).
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessMatrixTest {
    static final List<String> ROLES = Arrays.stream(Role.values()).map(Role::id).toList();

    @Autowired
    WebApplicationContext context;
    @Autowired
    ApiKeys keys;
    MockMvc bare;
    final Map<String, String> secretByRole = new LinkedHashMap<>();
    String expired;
    String revoked;

    record Operation(String method, String path, Set<String> roles, String body) {
        @Override
        public String toString() {
            return method + " " + path + " " + roles;
        }
    }

    @BeforeAll
    void keys() throws Exception {
        bare = TestKeys.bare(context);
        secretByRole.put("admin", TestKeys.ADMIN);
        for (String role : ROLES) {
            if (!role.equals("admin")) secretByRole.put(role, KeyFixtures.create(bare, "matrix " + role, role)[1]);
        }
        expired = keys.create("matrix expired", Role.ADMIN, Set.of(), Instant.now().minusSeconds(60), "test").secret();
        String[] gone = KeyFixtures.create(bare, "matrix revoked", "admin");
        KeyFixtures.revoke(bare, gone[0]);
        revoked = gone[1];
    }

    @SuppressWarnings("unchecked")
    static Stream<Operation> operations() throws Exception {
        Map<String, Object> spec = new Yaml().load(Files.readString(Path.of("../api-spec/openapi.yaml")));
        List<Operation> all = new ArrayList<>();
        ((Map<String, Map<String, Object>>) spec.get("paths")).forEach((path, item) -> item.forEach((method, op) -> {
            if (method.equals("parameters")) return;
            Map<String, Object> operation = (Map<String, Object>) op;
            List<String> roles = (List<String>) operation.get("x-roles");
            assertThat(roles).as("x-roles of %s %s", method, path).isNotNull().contains("admin");
            Map<String, Object> responses = (Map<String, Object>) operation.get("responses");
            assertThat(responses).as("responses of %s %s", method, path).containsKeys("401", "403");
            Map<String, Object> requestBody = (Map<String, Object>) operation.get("requestBody");
            String body = requestBody == null ? null : ((Map<String, Object>) requestBody.get("content")).keySet().iterator().next();
            all.add(new Operation(method.toUpperCase(Locale.ROOT), path, new TreeSet<>(roles), body));
        }));
        assertThat(all).hasSizeGreaterThan(20);
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void everyCallerGetsWhatXRolesSays(Operation op) throws Exception {
        unauthorized(op, null, "no key");
        unauthorized(op, "ts_" + "wrong".repeat(9), "a wrong key");
        unauthorized(op, expired, "an expired key");
        unauthorized(op, revoked, "a revoked key");
        for (String role : ROLES) {
            MockHttpServletResponse r = perform(op, secretByRole.get(role), op.roles().contains(role) ? null : Contract.responseMatches());
            if (op.roles().contains(role)) {
                assertThat(r.getStatus()).as("%s with a %s key: %s", op, role, r.getContentAsString()).isNotIn(401, 403).isLessThan(500);
            } else {
                assertThat(r.getStatus()).as("%s with a %s key: %s", op, role, r.getContentAsString()).isEqualTo(403);
                assertThat(r.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                String body = r.getContentAsString();
                assertThat((String) JsonPath.read(body, "$.code")).isEqualTo("forbidden");
                assertThat((String) JsonPath.read(body, "$.given")).isEqualTo(role);
                Set<String> allowed = Arrays.stream(((String) JsonPath.read(body, "$.allowed")).split(", ")).collect(Collectors.toCollection(TreeSet::new));
                assertThat(allowed).as("roles the 403 names for %s", op).isEqualTo(op.roles());
                assertThat((String) JsonPath.read(body, "$.detail")).contains("needs role", "has role " + role);
            }
        }
    }

    private void unauthorized(Operation op, String secret, String what) throws Exception {
        MockHttpServletResponse r = perform(op, secret, Contract.responseMatches());
        assertThat(r.getStatus()).as("%s with %s: %s", op, what, r.getContentAsString()).isEqualTo(401);
        assertThat(r.getHeader(HttpHeaders.WWW_AUTHENTICATE)).as("WWW-Authenticate").startsWith("Bearer");
        assertThat(r.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat((String) JsonPath.read(r.getContentAsString(), "$.code")).isEqualTo("unauthorized");
        if (secret != null) assertThat(r.getContentAsString()).as("the secret is not echoed").doesNotContain(secret);
    }

    private MockHttpServletResponse perform(Operation op, String secret, org.springframework.test.web.servlet.ResultMatcher contract)
            throws Exception {
        String uri = op.path().replaceAll("\\{version}", "1").replaceAll("\\{[^}]+}", "matrix-id");
        AbstractMockHttpServletRequestBuilder<?> request;
        if ("multipart/form-data".equals(op.body())) {
            request = multipart(HttpMethod.valueOf(op.method()), uri).file(new MockMultipartFile("file", "x.csv", "text/csv", new byte[0]));
        } else {
            var plain = request(HttpMethod.valueOf(op.method()), uri);
            if (op.body() != null) plain.contentType(op.body()).content("{}");
            request = plain;
        }
        if (secret != null) request.header(HttpHeaders.AUTHORIZATION, TestKeys.bearer(secret));
        var result = bare.perform(request);
        if (contract != null) result.andExpect(contract);
        return result.andReturn().getResponse();
    }
}
