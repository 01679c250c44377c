package io.trainserve.service.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.trainserve.engine.data.DataFormatException;
import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.engine.spec.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@ExtendWith(OutputCaptureExtension.class)
@WebMvcTest(controllers = ProblemAdviceTest.Probe.class)
@AutoConfigureMockMvc(addFilters = false) // the advice alone; security has its own tests
@Import({ProblemAdviceTest.Probe.class, ProblemAdvice.class})
class ProblemAdviceTest {

    @RestController
    static class Probe {
        record Inner(Integer units) {}
        record Body(String name, List<Inner> layers) {}

        @PostMapping("/probe")
        Body echo(@RequestBody Body body) { return body; }

        @GetMapping("/spec")
        void spec() {
            throw new InvalidSpecException(List.of(new Violation("model.layers[0].type", "\"dnse\"", "dense, dropout"),
                    new Violation("training.learningRate", "-1.0", "a number > 0")));
        }

        @GetMapping("/data")
        void data() { throw new DataFormatException(7, "age", "a number", "'abc'"); }

        @GetMapping("/boom")
        void boom() { throw new IllegalStateException("secret internals"); }
    }

    @Autowired MockMvc mvc;

    @Test
    void invalidSpecIs400WithEveryViolation() throws Exception {
        mvc.perform(get("/spec"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("https://trainserve.io/problems/invalid-spec"))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.field").value("model.layers[0].type"))
                .andExpect(jsonPath("$.given").value("\"dnse\""))
                .andExpect(jsonPath("$.violations[1].field").value("training.learningRate"));
    }

    @Test
    void dataFormatIs422WithRowAndColumn() throws Exception {
        mvc.perform(get("/data"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.row").value(7))
                .andExpect(jsonPath("$.column").value("age"))
                .andExpect(jsonPath("$.detail").value("row 7, column 'age': expected a number, found 'abc'"));
    }

    @Test
    void unknownPropertyIs400NamingThePath() throws Exception {
        mvc.perform(post("/probe").contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"x\",\"layers\":[{\"untis\":3}]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("unknown-property"))
                .andExpect(jsonPath("$.field").value("layers[0].untis"))
                .andExpect(jsonPath("$.allowed").value("units"));
    }

    @Test
    void wrongTypeIs400NamingThePath() throws Exception {
        mvc.perform(post("/probe").contentType(MediaType.APPLICATION_JSON).content("{\"layers\":[{\"units\":\"many\"}]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("layers[0].units"))
                .andExpect(jsonPath("$.allowed").value("a integer"));
    }

    @Test
    void singleValueIsAcceptedAsArray() throws Exception {
        mvc.perform(post("/probe").contentType(MediaType.APPLICATION_JSON).content("{\"layers\":{\"units\":3}}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.layers[0].units").value(3));
    }

    @Test
    void brokenJsonIs400() throws Exception {
        mvc.perform(post("/probe").contentType(MediaType.APPLICATION_JSON).content("{\"name\": "))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("malformed-json"));
    }

    @Test
    void unexpectedErrorsHideInternals(CapturedOutput log) throws Exception {
        String body = mvc.perform(get("/boom"))
                .andExpect(status().isInternalServerError())
                .andExpect(jsonPath("$.code").value("internal-error"))
                .andExpect(jsonPath("$.trace").doesNotExist())
                .andReturn().getResponse().getContentAsString();
        assertThat(body).doesNotContain("secret internals").doesNotContain("IllegalStateException");
        String errorId = com.jayway.jsonpath.JsonPath.read(body, "$.errorId");
        assertThat(errorId).matches("[0-9a-f]{8}");
        assertThat(com.jayway.jsonpath.JsonPath.<String>read(body, "$.detail")).isEqualTo("an error occurred (error id " + errorId + ")");
        assertThat(log.getOut() + log.getErr()).contains("unexpected error " + errorId).contains("secret internals");
    }
}
