package io.trainserve.service.web;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.trainserve.service.support.ApiTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/** The web UI's files are served by the service: the page, its modules, the chart webjar and the job templates. */
@ApiTest
class WebUiResourcesTest {
    @Autowired
    MockMvc mvc;

    @Test
    void theRootServesTheUiPage() throws Exception {
        mvc.perform(get("/")).andExpect(status().isOk()).andExpect(forwardedUrl("index.html"));
        mvc.perform(get("/index.html")).andExpect(status().isOk()).andExpect(content().string(containsString("/ui/app.js")));
    }

    @Test
    void everyAssetThePageLinksIsServed() throws Exception {
        String page = mvc.perform(get("/index.html")).andReturn().getResponse().getContentAsString();
        Matcher m = Pattern.compile("(?:href|src)=\"(/[^\"]+)\"").matcher(page);
        int found = 0;
        while (m.find()) {
            found++;
            mvc.perform(get(m.group(1))).andExpect(status().isOk());
        }
        org.assertj.core.api.Assertions.assertThat(found).as("assets linked by index.html").isGreaterThanOrEqualTo(3);
        String charts = mvc.perform(get("/ui/charts.js")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        Matcher imported = Pattern.compile("from '(/webjars/[^']+)'").matcher(charts);
        org.assertj.core.api.Assertions.assertThat(imported.find()).as("charts.js imports uPlot from the webjar").isTrue();
        mvc.perform(get(imported.group(1))).andExpect(status().isOk());
    }

    @Test
    void theExamplesJobFilesAreTheNewJobTemplates() throws Exception {
        String form = mvc.perform(get("/ui/newjob.js")).andReturn().getResponse().getContentAsString();
        Matcher m = Pattern.compile("\\['([a-z-]+-job)',").matcher(form);
        int found = 0;
        while (m.find()) {
            found++;
            mvc.perform(get("/ui/examples/" + m.group(1) + ".json")).andExpect(status().isOk())
                    .andExpect(content().string(containsString("\"modelId\"")));
        }
        org.assertj.core.api.Assertions.assertThat(found).isGreaterThanOrEqualTo(5);
    }
}
