package io.trainserve.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The web UI in real headless Chromium against the packaged service: upload a CSV, submit a job from
 * the form (a 400 problem shown on its field first), watch the loss curve gain points while the job
 * trains, open the model, then upload an IDX pair, draw on the predict canvas and get a prediction.
 * Every request the page made must have gone to the service itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiE2eTest {
    private static final int EPOCHS = 30;
    private static Browser browser;
    private static ServiceProcess service;
    private static Path work;
    private static String modelId;

    @BeforeAll
    static void open() throws IOException {
        service = ServiceProcess.get();
        work = Files.createTempDirectory("trainserve-ui");
        browser = new Browser(1280, 900);
        browser.driver.get(service.base.resolve("/").toString());
        WebElement key = waitFor(By.id("api-key"));
        key.sendKeys(ServiceProcess.ADMIN_KEY, Keys.ENTER);
        waitFor(By.id("job-list"));
        assertThat(browser.driver.getCurrentUrl()).doesNotContain(ServiceProcess.ADMIN_KEY);
    }

    @AfterAll
    static void close() throws IOException {
        if (browser != null) browser.close();
    }

    @Test
    @Order(1)
    @SuppressWarnings("unchecked")
    void uploadACsvSubmitAJobFromTheFormAndWatchItsCurveGrow() throws IOException {
        // upload
        Path csv = work.resolve("blobs.csv");
        Files.writeString(csv, blobs(6000));
        click(By.cssSelector("nav a[href='#/datasets']"));
        waitFor(By.id("upload-form"));
        browser.driver.findElement(By.id("upload-file")).sendKeys(csv.toString());
        browser.driver.findElement(By.id("upload-name")).sendKeys("blobs");
        click(By.id("upload-submit"));
        waitFor(By.xpath("//h1[text()='blobs']"));
        assertThat(text(By.cssSelector("main table"))).contains("x1", "x2", "label", "NUMERIC");
        shot("datasets");

        // the form, first with a learning rate the API rejects: the problem appears on that field
        click(By.cssSelector("a.button[href^='#/jobs/new']"));
        WebElement model = waitFor(By.id("job-model-id"));
        modelId = "blobs-" + System.nanoTime();
        model.clear();
        model.sendKeys(modelId);
        type(By.id("job-epochs"), Integer.toString(EPOCHS));
        type(By.id("job-batch"), "8");
        new Select(browser.driver.findElement(By.id("job-test"))).selectByVisibleText("blobs");
        assertThat(browser.driver.findElement(By.id("spec-json")).getDomProperty("value")).contains("\"test\": {");
        type(By.id("job-lr"), "-1");
        assertThat(browser.driver.findElement(By.id("spec-json")).getDomProperty("value")).contains("\"learningRate\": -1", modelId);
        click(By.id("job-submit"));
        WebElement error = waitFor(By.cssSelector(".field-error[data-error-for='training.learningRate']"));
        assertThat(error.getText()).contains("-1");
        assertThat(browser.driver.findElement(By.id("job-lr")).getDomAttribute("aria-invalid")).isEqualTo("true");
        shot("new-job-problem");
        type(By.id("job-lr"), "0.01");
        click(By.id("job-submit"));

        // the job page: the loss chart gains points while the job runs
        waitFor(By.id("job-status"));
        assertThat(browser.driver.getCurrentUrl()).contains("#/jobs/");
        WebElement loss = waitFor(By.cssSelector("figure[data-chart='Loss']"));
        int firstSeen = awaitValue(() -> status().equals("RUNNING") ? points(loss) : 0, n -> n >= 1, "a point while RUNNING");
        int later = awaitValue(() -> status().equals("RUNNING") || status().equals("SUCCEEDED") ? points(loss) : 0,
                n -> n > firstSeen, "more points than " + firstSeen);
        assertThat(firstSeen).as("points seen while the job still ran").isLessThan(EPOCHS);
        shot("job-running");
        awaitValue(this::status, s -> !s.equals("RUNNING") && !s.equals("QUEUED"), "the job to end");
        assertThat(status()).isEqualTo("SUCCEEDED");
        assertThat(later).isGreaterThan(firstSeen);
        awaitValue(() -> points(loss), n -> n == EPOCHS, EPOCHS + " points");
        Object drawn = browser.driver.executeScript("return window.trainserveCharts['Loss'].data[1].filter(v => v != null).length");
        assertThat(((Number) drawn).intValue()).as("loss values in the chart's data").isEqualTo(EPOCHS);
        assertThat(browser.driver.findElements(By.cssSelector("#job-history tbody tr"))).hasSize(EPOCHS);
        assertThat(browser.driver.findElement(By.id("job-progress")).getDomProperty("value")).isEqualTo("1");
        shot("job");

        // a second version of the same model (its spec from the job, another learning rate), to compare
        String jobId = browser.driver.getCurrentUrl().replaceAll(".*#/jobs/", "");
        Api api = new Api();
        Map<String, Object> spec = Api.JSON.convertValue(api.get("/jobs/" + jobId).body().get("spec"), Map.class);
        ((Map<String, Object>) spec.get("training")).put("learningRate", 0.003);
        assertThat(api.train(spec, Duration.ofSeconds(180)).get("status").asText()).isEqualTo("SUCCEEDED");

        // the model page: summary, test metrics with the confusion matrix, both versions' curves
        click(By.id("job-model-link"));
        WebElement summary = waitFor(By.id("model-summary"));
        shot("model");
        assertThat(summary.getText()).contains("Layer (type)", "Output Shape", "Param #", "Total params");
        List<WebElement> cells = browser.driver.findElements(By.cssSelector("table.heatmap tbody td"));
        assertThat(cells).hasSize(9);
        assertThat(cells.stream().mapToInt(c -> Integer.parseInt(c.getText())).sum()).as("confusion matrix total").isEqualTo(6000);
        assertThat(text(By.tagName("main"))).contains("6000 test rows", "Precision", "Recall", "F1");
        new Select(browser.driver.findElement(By.id("compare-b"))).selectByVisibleText("v2");
        awaitValue(() -> browser.driver.executeScript("return window.trainserveCharts['Compare'].series.map(s => s.label).join()"),
                labels -> String.valueOf(labels).contains("v2 val_loss"), "the comparison of v1 and v2");
        Object compared = browser.driver.executeScript(
                "return window.trainserveCharts['Compare'].data.slice(1).map(s => s.filter(v => v != null).length)");
        assertThat(((List<?>) compared).stream().map(n -> ((Number) n).intValue()).toList())
                .as("points of v1 loss, v1 val_loss, v2 loss, v2 val_loss").containsExactly(EPOCHS, EPOCHS, EPOCHS, EPOCHS);
        shot("model");
    }

    @Test
    @Order(2)
    void uploadAnImagePairDrawOnTheCanvasAndGetAPrediction() throws IOException {
        Path images = work.resolve("bars-images-idx3-ubyte");
        Path labels = work.resolve("bars-labels-idx1-ubyte");
        writeBars(400, images, labels);
        click(By.cssSelector("nav a[href='#/datasets']"));
        new Select(waitFor(By.id("upload-kind"))).selectByValue("idx");
        browser.driver.findElement(By.id("upload-images")).sendKeys(images.toString());
        browser.driver.findElement(By.id("upload-labels")).sendKeys(labels.toString());
        browser.driver.findElement(By.id("upload-name")).sendKeys("bars");
        click(By.id("upload-submit"));
        waitFor(By.id("thumbnails"));
        assertThat(browser.driver.findElements(By.cssSelector("#thumbnails canvas"))).hasSizeGreaterThan(10);
        shot("dataset-images");
        String datasetId = browser.driver.getCurrentUrl().replaceAll(".*#/datasets/", "");

        Api api = new Api();
        String bars = "bars-" + System.nanoTime();
        JsonNode job = api.train(Map.of("modelId", bars, "datasetId", datasetId, "target", "label",
                "preprocessing", Map.of("scaling", "pixel"),
                "model", Map.of("layers", List.of(Map.of("type", "dense", "units", 2, "activation", "softmax")),
                        "loss", "sparse_categorical_crossentropy"),
                "training", Map.of("optimizer", "adam", "learningRate", 0.01, "epochs", 5, "batchSize", 20, "seed", 1)),
                Duration.ofSeconds(120));
        assertThat(job.get("status").asText()).as("%s", job).isEqualTo("SUCCEEDED");
        String vertical = api.get("/models/" + bars + "/versions/1").body().get("classNames").get(1).asText();

        browser.driver.get(service.base.resolve("/#/models/" + bars + "/predict").toString());
        WebElement canvas = waitFor(By.id("draw-canvas"));
        new Actions(browser.driver).moveToElement(canvas, 0, -100).clickAndHold()
                .moveByOffset(0, 25).moveByOffset(0, 25).moveByOffset(0, 25).moveByOffset(0, 25)
                .moveByOffset(0, 25).moveByOffset(0, 25).moveByOffset(0, 25).moveByOffset(0, 25).release().perform();
        click(By.id("predict-submit"));
        waitFor(By.cssSelector("#probabilities li"));
        assertThat(browser.driver.findElements(By.cssSelector("#probabilities li"))).hasSize(2);
        assertThat(text(By.id("predicted-label"))).as("a vertical stroke").isEqualTo(vertical);
        shot("predict");
    }

    @Test
    @Order(3)
    void readableAtPhoneWidth() throws IOException {
        browser.driver.manage().window().setSize(new Dimension(390, 844));
        try {
            for (String page : List.of("#/jobs", "#/models/" + modelId, "#/jobs/new", "#/datasets")) {
                browser.driver.get(service.base.resolve("/" + page).toString());
                waitFor(By.cssSelector("main h1"));
                Number overflow = (Number) browser.driver.executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
                assertThat(overflow.intValue()).as("horizontal page overflow on %s at 390 px", page).isLessThanOrEqualTo(0);
            }
            browser.driver.get(service.base.resolve("/#/models/" + modelId).toString());
            waitFor(By.id("model-summary"));
            browser.screenshot("phone-model");
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    @Test
    @Order(4)
    void theUiAskedNoOtherHost() {
        List<String> all = browser.requestedUrls();
        assertThat(all).as("requests seen in the performance log").anyMatch(u -> u.contains("/webjars/uplot/"))
                .anyMatch(u -> u.contains("/jobs/"));
        assertThat(browser.foreignRequests(service.base)).as("requests to other hosts").isEmpty();
    }

    // --- helpers

    private String status() {
        return text(By.id("job-status"));
    }

    private static int points(WebElement chart) {
        return Integer.parseInt(chart.getDomAttribute("data-points"));
    }

    private static <T> T awaitValue(Supplier<T> read, java.util.function.Predicate<T> done, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        T value = read.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what + "; last " + value);
            Api.pause(50); // polling the browser: nothing to wait on
            value = read.get();
        }
        return value;
    }

    private static WebElement waitFor(By by) {
        return new WebDriverWait(browser.driver, Duration.ofSeconds(60)).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private static void click(By by) {
        new WebDriverWait(browser.driver, Duration.ofSeconds(30)).until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    private static void type(By by, String value) {
        WebElement e = browser.driver.findElement(by);
        e.clear();
        e.sendKeys(value);
    }

    private static String text(By by) {
        return browser.driver.findElement(by).getText();
    }

    /** A full-page screenshot under target/ui-screenshots. */
    private static void shot(String name) throws IOException {
        Number height = (Number) browser.driver.executeScript("window.scrollTo(0, 0); return document.documentElement.scrollHeight");
        Dimension before = browser.driver.manage().window().getSize();
        browser.driver.manage().window().setSize(new Dimension(before.getWidth(), Math.min(4000, Math.max(900, height.intValue() + 120))));
        try {
            browser.screenshot(name);
        } finally {
            browser.driver.manage().window().setSize(before);
        }
    }

    /** Three Gaussian blobs in two features, enough rows that an epoch takes a visible moment. */
    private static String blobs(int rows) {
        Random r = new Random(7);
        double[][] centers = {{0, 0}, {3, 3}, {0, 4}};
        StringBuilder s = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < rows; i++) {
            int c = i % 3;
            s.append(String.format("%.4f,%.4f,%d%n", centers[c][0] + r.nextGaussian(), centers[c][1] + r.nextGaussian(), c));
        }
        return s.toString();
    }

    /** 28x28 images of one bar: label 0 a horizontal bar, label 1 a vertical one, at random places. */
    private static void writeBars(int count, Path images, Path labels) throws IOException {
        Random r = new Random(11);
        ByteArrayOutputStream img = new ByteArrayOutputStream();
        ByteArrayOutputStream lab = new ByteArrayOutputStream();
        writeInts(img, 2051, count, 28, 28);
        writeInts(lab, 2049, count);
        for (int i = 0; i < count; i++) {
            int label = i % 2;
            int at = 6 + r.nextInt(16);
            int from = 2 + r.nextInt(4), to = 22 + r.nextInt(4);
            byte[] pixels = new byte[28 * 28];
            for (int a = from; a < to; a++) {
                for (int w = 0; w < 3; w++) {
                    int row = label == 0 ? at + w : a, col = label == 0 ? a : at + w;
                    pixels[row * 28 + col] = (byte) 255;
                }
            }
            img.writeBytes(pixels);
            lab.write(label);
        }
        Files.write(images, img.toByteArray());
        Files.write(labels, lab.toByteArray());
    }

    private static void writeInts(ByteArrayOutputStream out, int... values) {
        for (int v : values) out.writeBytes(new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }
}
