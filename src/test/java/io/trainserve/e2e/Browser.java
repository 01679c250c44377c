package io.trainserve.e2e;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import tools.jackson.databind.JsonNode;

/**
 * Headless Debian Chromium driven by Selenium, with Chrome's performance log on so that every URL the
 * page requests can be checked afterwards; screenshots go under target/ui-screenshots.
 */
final class Browser implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of(System.getProperty("trainserve.root", "."), "target", "ui-screenshots");
    final ChromeDriver driver;
    private final Path profile;
    private final List<String> requested = new ArrayList<>();

    Browser(int width, int height) throws IOException {
        profile = Files.createTempDirectory("trainserve-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("chromium.binary", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--disable-extensions", "--window-size=" + width + "," + height,
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getProperty("chromedriver", "/usr/bin/chromedriver")).toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    /** Every URL the page asked for since the last call (from Chrome's Network.requestWillBeSent events), collected. */
    List<String> requestedUrls() {
        for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode message = Api.JSON.readTree(e.getMessage()).path("message");
            if ("Network.requestWillBeSent".equals(message.path("method").asText())) {
                requested.add(message.path("params").path("request").path("url").asText());
            }
        }
        return List.copyOf(requested);
    }

    /**
     * Network requests (any scheme but the browser's own chrome:, about:, and the in-page data: and
     * blob:) that went to a host other than the service's own.
     */
    List<String> foreignRequests(URI base) {
        return requestedUrls().stream().filter(u -> !u.matches("^(data|blob|chrome|about):.*"))
                .filter(u -> {
                    URI uri = URI.create(u);
                    return !(base.getScheme().equals(uri.getScheme()) && base.getHost().equals(uri.getHost()) && base.getPort() == uri.getPort());
                }).toList();
    }

    Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path target = SCREENSHOTS.resolve(name + ".png");
        Files.write(target, driver.getScreenshotAs(OutputType.BYTES));
        return target;
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
