package io.trainserve.service.dataset;

import static io.trainserve.service.support.TestFiles.SOFTMAX_CSV;
import static io.trainserve.service.support.TestFiles.csv;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.support.ApiTest;
import io.trainserve.service.support.Contract;
import io.trainserve.service.support.TestFiles;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;

@ApiTest
class DatasetApiTest {
    @Autowired
    MockMvc mvc;

    String upload(String csv) throws Exception {
        String body = mvc.perform(multipart("/datasets").file(csv(csv)).param("name", "softmax8"))
                .andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString();
        return JsonPath.read(body, "$.id");
    }

    @Test
    void csvUploadIsParsedWithStatistics() throws Exception {
        mvc.perform(multipart("/datasets").file(csv(SOFTMAX_CSV)).param("name", "softmax8"))
                .andExpect(status().isCreated())
                .andExpect(Contract.uploadMatches())
                .andExpect(header().string("Location", containsString("/datasets/")))
                .andExpect(jsonPath("$.name").value("softmax8"))
                .andExpect(jsonPath("$.format").value("CSV"))
                .andExpect(jsonPath("$.rows").value(8))
                .andExpect(jsonPath("$.shape[0]").value(8))
                .andExpect(jsonPath("$.shape[1]").value(3))
                .andExpect(jsonPath("$.columns[2].name").value("label"))
                .andExpect(jsonPath("$.columns[2].distinct").value(3))
                .andExpect(jsonPath("$.columns[0].min").value(1.0))
                .andExpect(jsonPath("$.columns[0].max").value(9.0))
                .andExpect(jsonPath("$.sizeBytes").value(SOFTMAX_CSV.length()))
                .andExpect(jsonPath("$.sha256").isString());
    }

    @Test
    void getListPreviewAndDelete() throws Exception {
        String id = upload(SOFTMAX_CSV);
        mvc.perform(get("/datasets/{id}", id)).andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.id").value(id));
        mvc.perform(get("/datasets")).andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$[?(@.id == '" + id + "')]").exists());
        mvc.perform(get("/datasets/{id}/preview", id).param("limit", "2")).andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.columns[2]").value("label"))
                .andExpect(jsonPath("$.rows.length()").value(2))
                .andExpect(jsonPath("$.rows[1][1]").value("2"));
        mvc.perform(delete("/datasets/{id}", id)).andExpect(status().isNoContent()).andExpect(Contract.matches());
        mvc.perform(get("/datasets/{id}", id)).andExpect(status().isNotFound()).andExpect(Contract.matches());
    }

    @Test
    void idxPairGzippedOrNot() throws Exception {
        mvc.perform(multipart("/datasets")
                        .file(new MockMultipartFile("images", "imgs.idx.gz", "application/gzip", TestFiles.gzip(TestFiles.idxImages(6))))
                        .file(new MockMultipartFile("labels", "labels.idx", "application/octet-stream", TestFiles.idxLabels(6, 3))))
                .andExpect(status().isCreated())
                .andExpect(Contract.uploadMatches())
                .andExpect(jsonPath("$.format").value("IDX"))
                .andExpect(jsonPath("$.name").value("imgs.idx.gz"))
                .andExpect(jsonPath("$.rows").value(6))
                .andExpect(jsonPath("$.shape[1]").value(2))
                .andExpect(jsonPath("$.shape[2]").value(3))
                .andExpect(jsonPath("$.classes.length()").value(3))
                .andExpect(jsonPath("$.columns[0].name").value("label"))
                .andExpect(jsonPath("$.columns[1].max").value(55.0));
    }

    @Test
    void idxPreviewShowsLabelAndPixels() throws Exception {
        String body = mvc.perform(multipart("/datasets")
                        .file(new MockMultipartFile("images", "i.idx", null, TestFiles.idxImages(3)))
                        .file(new MockMultipartFile("labels", "l.idx", null, TestFiles.idxLabels(3, 3))))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        String id = JsonPath.read(body, "$.id");
        mvc.perform(get("/datasets/{id}/preview", id)).andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.rows[1][0]").value(1))
                .andExpect(jsonPath("$.rows[1][1][1][2]").value(15));
    }

    // ---- bad input: every one a 4xx problem, never a 500 ----

    @Test
    void malformedCsvSaysWhichRow() throws Exception {
        mvc.perform(multipart("/datasets").file(csv("a,b,c\n1,2,3\n4,5\n")))
                .andExpect(status().isUnprocessableContent())
                .andExpect(Contract.responseMatches())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("https://trainserve.io/problems/invalid-data"))
                .andExpect(jsonPath("$.row").value(3))
                .andExpect(jsonPath("$.expected").value("3 fields"))
                .andExpect(jsonPath("$.found").value("2"));
    }

    @Test
    void emptyFileIsRejectedNamingThePart() throws Exception {
        mvc.perform(multipart("/datasets").file(new MockMultipartFile("file", "empty.csv", "text/csv", new byte[0])))
                .andExpect(status().isUnprocessableContent())
                .andExpect(Contract.responseMatches())
                .andExpect(jsonPath("$.field").value("file"))
                .andExpect(jsonPath("$.detail").value(containsString("empty")));
    }

    @Test
    void headerOnlyCsvIsRejected() throws Exception {
        mvc.perform(multipart("/datasets").file(csv("a,b\n")))
                .andExpect(status().isUnprocessableContent())
                .andExpect(Contract.responseMatches())
                .andExpect(jsonPath("$.detail").value(containsString("no data rows")));
    }

    @Test
    void wrongIdxMagicSaysWhichFile() throws Exception {
        byte[] labelsAsImages = TestFiles.idxLabels(6, 3);
        mvc.perform(multipart("/datasets")
                        .file(new MockMultipartFile("images", "x.idx", null, labelsAsImages))
                        .file(new MockMultipartFile("labels", "l.idx", null, TestFiles.idxLabels(6, 3))))
                .andExpect(status().isUnprocessableContent())
                .andExpect(Contract.responseMatches())
                .andExpect(jsonPath("$.detail").value(containsString("images file: magic number 2049")))
                .andExpect(jsonPath("$.expected").value("magic number 2051"));
    }

    @Test
    void idxCountsMustAgree() throws Exception {
        mvc.perform(multipart("/datasets")
                        .file(new MockMultipartFile("images", "i.idx", null, TestFiles.idxImages(6)))
                        .file(new MockMultipartFile("labels", "l.idx", null, TestFiles.idxLabels(5, 3))))
                .andExpect(status().isUnprocessableContent())
                .andExpect(Contract.responseMatches());
    }

    @Test
    void missingPartIs400() throws Exception {
        mvc.perform(multipart("/datasets").file(new MockMultipartFile("images", "i.idx", null, TestFiles.idxImages(2))))
                .andExpect(status().isBadRequest())
                .andExpect(Contract.responseMatches())
                .andExpect(jsonPath("$.field").value("labels"));
    }

    @Test
    void unknownDatasetIs404() throws Exception {
        mvc.perform(get("/datasets/nope")).andExpect(status().isNotFound()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.code").value("not-found"));
        mvc.perform(get("/datasets/nope/preview")).andExpect(status().isNotFound()).andExpect(Contract.matches());
        mvc.perform(delete("/datasets/nope")).andExpect(status().isNotFound()).andExpect(Contract.matches());
    }

    @Test
    void previewLimitIsChecked() throws Exception {
        String id = upload(SOFTMAX_CSV);
        mvc.perform(get("/datasets/{id}/preview", id).param("limit", "0"))
                .andExpect(status().isBadRequest())
                .andExpect(Contract.responseMatches())
                .andExpect(jsonPath("$.field").value("limit"));
        mvc.perform(get("/datasets/{id}/preview", id).param("limit", "many"))
                .andExpect(status().isBadRequest())
                .andExpect(Contract.responseMatches())
                .andExpect(jsonPath("$.field").value("limit"))
                .andExpect(jsonPath("$.type").value(endsWith("invalid-request")));
    }
}
