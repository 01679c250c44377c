package io.trainserve.service.security;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.trainserve.service.support.ApiTest;
import io.trainserve.service.support.Contract;
import io.trainserve.service.support.TestKeys;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** Small budgets (2 predicts and 1 job submission per hour per key) so the third call is refused. */
@ApiTest
@TestPropertySource(properties = {
        "trainserve.security.rate-limit.predict=2", "trainserve.security.rate-limit.predict-period=1h",
        "trainserve.security.rate-limit.jobs=1", "trainserve.security.rate-limit.jobs-period=1h"})
class RateLimitTest {
    @Autowired
    MockMvc mvc;

    @Test
    void predictBeyondTheKeysBudgetIs429WithRetryAfterAndOtherKeysAreUnaffected() throws Exception {
        String a = KeyFixtures.create(mvc, "client a", "predictor")[1];
        String b = KeyFixtures.create(mvc, "client b", "predictor")[1];
        for (int i = 0; i < 2; i++) predict(a).andExpect(status().isNotFound());
        predict(a).andExpect(status().isTooManyRequests()).andExpect(Contract.responseMatches())
                .andExpect(header().string(HttpHeaders.RETRY_AFTER, Matchers.matchesPattern("[1-9][0-9]*")))
                .andExpect(jsonPath("$.code").value("too-many-requests"))
                .andExpect(jsonPath("$.allowed").value("2 per PT1H"));
        predict(b).andExpect(status().isNotFound());
    }

    @Test
    void jobSubmissionsBeyondTheBudgetAre429() throws Exception {
        String trainer = KeyFixtures.create(mvc, "ci", "trainer")[1];
        submit(trainer).andExpect(status().isBadRequest());
        submit(trainer).andExpect(status().isTooManyRequests()).andExpect(Contract.responseMatches())
                .andExpect(header().exists(HttpHeaders.RETRY_AFTER));
    }

    private org.springframework.test.web.servlet.ResultActions predict(String secret) throws Exception {
        return mvc.perform(post("/models/{id}/predict", "nothing-here").header(HttpHeaders.AUTHORIZATION, TestKeys.bearer(secret))
                .contentType(MediaType.APPLICATION_JSON).content("{\"instances\": [[1]]}"));
    }

    private org.springframework.test.web.servlet.ResultActions submit(String secret) throws Exception {
        return mvc.perform(post("/jobs").header(HttpHeaders.AUTHORIZATION, TestKeys.bearer(secret))
                .contentType(MediaType.APPLICATION_JSON).content("{}"));
    }
}
