package io.trainserve.service.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.support.ApiTest;
import io.trainserve.service.support.Contract;
import io.trainserve.service.support.TestFiles;
import io.trainserve.service.support.Training;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Issue 21 item 1 through the API: a zip of class folders of generated shapes becomes an [n, C, H, W] dataset,
 * a small CNN learns it, and predict takes PNG files resized the same way; every bad zip is a problem naming
 * part {@code file} and the entry. Small zip limits here so the bombs stay small.
 */
@ApiTest
@TestPropertySource(properties = {"trainserve.datasets.zip-max-entries=400", "trainserve.datasets.zip-max-bytes=2MB",
        "trainserve.datasets.image-max-pixels=10000"})
class ImageFoldersApiTest {
    static final List<String> SHAPES = List.of("circle", "square", "triangle");

    @Autowired
    MockMvc mvc;

    /** A shape of class {@code k} in a colour near the class's hue (red, green, blue), at a random place and size, on a dark background. */
    static BufferedImage shape(int k, int size, SplittableRandom rng, boolean gray) {
        BufferedImage image = new BufferedImage(size, size, gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(rng.nextInt(40), rng.nextInt(40), rng.nextInt(40)));
        g.fillRect(0, 0, size, size);
        float hue = k / 3f + 0.1f * (float) (rng.nextDouble() - 0.5);
        g.setColor(Color.getHSBColor(hue, 0.6f + 0.4f * (float) rng.nextDouble(), 0.7f + 0.3f * (float) rng.nextDouble()));
        int s = size / 2 + rng.nextInt(size / 4 + 1);
        int x = rng.nextInt(size - s + 1), y = rng.nextInt(size - s + 1);
        switch (k) {
            case 0 -> g.fillOval(x, y, s, s);
            case 1 -> g.fillRect(x, y, s, s);
            default -> g.fillPolygon(new int[] {x, x + s / 2, x + s}, new int[] {y + s, y, y + s}, 3);
        }
        g.dispose();
        return image;
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** {@code perClass} images per shape, 16 x 16, mostly PNG with some JPEG, some larger and a few gray (mixed modes and sizes). */
    static byte[] shapesZip(int perClass, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("__MACOSX/circle/._0.png", new byte[] {0, 5, 22, 7});
        for (int k = 0; k < SHAPES.size(); k++) {
            entries.put(SHAPES.get(k) + "/", new byte[0]);
            for (int i = 0; i < perClass; i++) {
                int size = i % 10 == 9 ? 24 : 16;
                String format = i % 7 == 6 ? "jpg" : "png";
                entries.put(SHAPES.get(k) + "/" + i + "." + format, encode(shape(k, size, rng, i % 13 == 12), format));
            }
        }
        return zip(entries);
    }

    ResultActions upload(byte[] zip, String imageSize) throws Exception {
        var request = multipart("/datasets").file(new MockMultipartFile("file", "shapes.zip", "application/zip", zip));
        if (imageSize != null) request.param("imageSize", imageSize);
        return mvc.perform(request);
    }

    @Test
    void aSmallCnnLearnsColouredShapesFromClassFoldersAndPredictsPngUploads() throws Exception {
        String body = upload(shapesZip(60, 21), null).andExpect(status().isCreated()).andExpect(Contract.uploadMatches())
                .andExpect(jsonPath("$.format").value("IMAGES"))
                .andExpect(jsonPath("$.shape").value(contains(180, 3, 16, 16)))
                .andExpect(jsonPath("$.classes").value(contains("circle", "square", "triangle")))
                .andExpect(jsonPath("$.classCounts.circle").value(60))
                .andExpect(jsonPath("$.classCounts.triangle").value(60))
                .andReturn().getResponse().getContentAsString();
        String id = JsonPath.read(body, "$.id");
        mvc.perform(get("/datasets/{id}", id)).andExpect(Contract.matches()).andExpect(jsonPath("$.classCounts.square").value(60));
        mvc.perform(get("/datasets/{id}/preview", id).param("limit", "2")).andExpect(Contract.matches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.columns").value(contains("label", "image", "thumbnail")))
                .andExpect(jsonPath("$.rows[0][0]").value("circle"))
                .andExpect(jsonPath("$.rows[0][1]", hasSize(3)))
                .andExpect(jsonPath("$.rows[0][1][2]", hasSize(16)))
                .andExpect(jsonPath("$.rows[0][2]").value(startsWith("data:image/png;base64,")));

        // a test set is a zip of its own, at the training set's size
        String testId = JsonPath.read(upload(shapesZip(10, 7), "16").andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString(), "$.id");
        String otherSize = JsonPath.read(upload(shapesZip(2, 8), "12x10").andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString(), "$.id");
        String job = """
                {"modelId": "shapes", "datasetId": "%s", "validation": {"split": 0.2}, "test": {"datasetId": "%s"},
                 "model": {"layers": [{"type": "conv2d", "filters": 8, "kernelSize": [3, 3], "padding": "same", "activation": "relu"},
                                      {"type": "max_pool2d", "poolSize": [2, 2]},
                                      {"type": "flatten"},
                                      {"type": "dense", "units": 3, "activation": "softmax"}],
                           "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "adam", "learningRate": 0.01, "epochs": 12, "batchSize": 16, "seed": 1}}
                """;
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(job.formatted(id, otherSize)))
                .andExpect(Contract.matches()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].field").value("test.datasetId"))
                .andExpect(jsonPath("$.violations[0].given").value(containsString("[3, 12, 10]")));
        int v = Training.run(mvc, job.formatted(id, testId));
        String model = mvc.perform(get("/models/shapes/versions/{v}", v)).andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.inputSchema.imageShape").value(contains(3, 16, 16)))
                .andReturn().getResponse().getContentAsString();
        assertThat(((Number) JsonPath.read(model, "$.metrics.val_accuracy")).doubleValue()).isGreaterThanOrEqualTo(0.9);
        assertThat(((Number) JsonPath.read(model, "$.testMetrics.metrics.accuracy")).doubleValue()).isGreaterThanOrEqualTo(0.9);

        // new shapes, drawn at 32 x 32: predict resizes them to 16 x 16 as the upload did
        SplittableRandom fresh = new SplittableRandom(2026);
        var predict = multipart("/models/shapes/predict");
        int n = 12;
        for (int i = 0; i < n; i++) {
            predict.file(new MockMultipartFile("file", i + ".png", "image/png", encode(shape(i % 3, 32, fresh, false), "png")));
        }
        String answer = mvc.perform(predict).andExpect(Contract.responseMatches()).andExpect(status().isOk())
                .andExpect(jsonPath("$.predictions", hasSize(n))).andReturn().getResponse().getContentAsString();
        List<String> labels = JsonPath.read(answer, "$.predictions[*].label");
        int right = 0;
        for (int i = 0; i < n; i++) if (labels.get(i).equals(SHAPES.get(i % 3))) right++;
        assertThat(right).as("labels %s", labels).isGreaterThanOrEqualTo(10);

        // a tiny PNG whose header declares 60000 x 60000 pixels is refused before any pixel is allocated
        mvc.perform(multipart("/models/shapes/predict").file(new MockMultipartFile("file", "bomb.png", "image/png", declaring(60000, 60000))))
                .andExpect(Contract.responseMatches()).andExpect(status().isContentTooLarge())
                .andExpect(jsonPath("$.field").value("file[0]")).andExpect(jsonPath("$.given").value(containsString("60000 x 60000")));
    }

    /** A 1 x 1 PNG with its header (IHDR) rewritten to declare {@code width x height}, its checksum fixed. */
    static byte[] declaring(int width, int height) throws IOException {
        byte[] png = encode(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY), "png");
        ByteBuffer b = ByteBuffer.wrap(png); // signature 8, length 4, "IHDR" 4, then width, height
        b.putInt(16, width).putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        b.putInt(29, (int) crc.getValue());
        return png;
    }

    @Test
    void grayFoldersAreOneChannelAtTheAskedSize() throws Exception {
        SplittableRandom rng = new SplittableRandom(3);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) entries.put("dark/" + i + ".png", encode(shape(0, 20, rng, true), "png"));
        entries.put("light/x.jpg", encode(shape(1, 20, rng, true), "jpg"));
        for (String size : List.of("12x10", "12X10")) {
            upload(zip(entries), size).andExpect(status().isCreated()).andExpect(Contract.uploadMatches())
                    .andExpect(jsonPath("$.shape").value(contains(5, 1, 12, 10)))
                    .andExpect(jsonPath("$.classCounts.dark").value(4))
                    .andExpect(jsonPath("$.classCounts.light").value(1));
        }
        upload(zip(entries), "28").andExpect(status().isCreated()).andExpect(jsonPath("$.shape").value(contains(5, 1, 28, 28)));
    }

    @Test
    void badZipsAreProblemsNamingFileAndTheEntry() throws Exception {
        byte[] png = encode(shape(0, 8, new SplittableRandom(1), false), "png");

        refused(zip(Map.of()), 400, "no class folders");
        refused(zip(Map.of("only.png", png)), 400, "only.png");
        refused(zip(Map.of("cats/ok.png", png, "cats/broken.png", "not a png".getBytes())), 400, "cats/broken.png");
        refused(zip(Map.of("../cats/evil.png", png)), 400, "../cats/evil.png");
        refused(zip(Map.of("/etc/cats/evil.png", png)), 400, "/etc/cats/evil.png");
        refused(zip(Map.of("train/cats/1.png", png, "test/cats/2.png", png)), 400, "two zips");
        refused(zip(Map.of("cats/bomb.png", new byte[3 << 20])), 413, "uncompressed");
        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i < 401; i++) many.put("cats/" + i + ".png", png);
        refused(zip(many), 413, "401 entries");
        refused(zip(Map.of("cats/huge.png", encode(new BufferedImage(200, 60, BufferedImage.TYPE_BYTE_GRAY), "png"))), 413, "200 x 60");

        for (String size : List.of("0", "abc", "129", "28x", "28x28x3")) {
            upload(zip(Map.of("cats/ok.png", png)), size).andExpect(Contract.responseMatches()).andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.field").value("imageSize"));
        }
        mvc.perform(multipart("/datasets").file(TestFiles.csv(TestFiles.SOFTMAX_CSV)).param("imageSize", "28"))
                .andExpect(Contract.responseMatches()).andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("imageSize"));
    }

    private void refused(byte[] zip, int status, String mention) throws Exception {
        upload(zip, null).andExpect(Contract.responseMatches()).andExpect(status().is(status))
                .andExpect(jsonPath("$.field").value("file"))
                .andExpect(jsonPath("$.given").value(containsString(mention)))
                .andExpect(jsonPath("$.allowed").isString());
    }
}
