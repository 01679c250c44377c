package io.trainserve.service.security;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.support.TestKeys;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** Keys made through the API, as an admin would. */
final class KeyFixtures {
    private KeyFixtures() {
    }

    /** A key made with POST /keys as the test admin: {id, secret}. */
    static String[] create(MockMvc mvc, String name, String role, String... models) throws Exception {
        String body = "{\"name\": \"" + name + "\", \"role\": \"" + role + "\""
                + (models.length == 0 ? "" : ", \"models\": [\"" + String.join("\", \"", models) + "\"]") + "}";
        String answer = mvc.perform(post("/keys").header(HttpHeaders.AUTHORIZATION, TestKeys.bearer(TestKeys.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        return new String[]{JsonPath.read(answer, "$.id"), JsonPath.read(answer, "$.key")};
    }

    static void revoke(MockMvc mvc, String id) throws Exception {
        mvc.perform(delete("/keys/{id}", id).header(HttpHeaders.AUTHORIZATION, TestKeys.bearer(TestKeys.ADMIN)))
                .andExpect(status().isNoContent());
    }
}
