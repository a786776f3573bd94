package org.pneumo.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.pneumo.data.SyntheticImages;
import org.pneumo.infer.Detector;
import org.pneumo.train.TinyModel;

/**
 * Drives the web page in headless Debian Chromium (installed by {@code .ci/run}): an image gives a verdict, the
 * heatmap toggle shows the overlay, a non-image gives a readable error, and the page still works afterwards.
 *
 * <p>Skipped when Chromium or ChromeDriver is missing, unless {@code PNEUMO_REQUIRE_BROWSER} is set (CI sets it).
 * {@code -Dpneumo.screenshots=DIR} saves screenshots; {@code -Dpneumo.browser.model=DIR} and
 * {@code -Dpneumo.browser.image=FILE} use a real model and X-ray for them instead of the synthetic ones.
 */
class WebPageBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path shared;

    static Detector detector;
    static PneumoServer server;
    static WebDriver browser;
    static Path image;
    static Path notAnImage;

    @BeforeAll
    static void start() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (System.getenv("PNEUMO_REQUIRE_BROWSER") != null) {
            assertThat(present).as("chromium and chromium-driver must be installed at " + CHROMIUM + " and "
                    + CHROMEDRIVER).isTrue();
        }
        Assumptions.assumeTrue(present, "chromium or chromedriver not installed");
        String realModel = System.getProperty("pneumo.browser.model");
        Path model;
        if (realModel != null) {
            model = Path.of(realModel);
        } else {
            model = TinyModel.train(shared, 30, 1);
        }
        detector = Detector.load(model);
        String realImage = System.getProperty("pneumo.browser.image");
        image = realImage != null ? Path.of(realImage)
                : SyntheticImages.write(SyntheticImages.noisy(64, true, new Random(4), null),
                        shared.resolve("xray.png"), "png");
        notAnImage = Files.writeString(shared.resolve("notes.txt"), "this is not an X-ray");
        server = new PneumoServer(detector, new ServerSettings("127.0.0.1", 0, null, 20L << 20, 2, 8)).start();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + shared.resolve("profile"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (detector != null) {
            detector.close();
        }
    }

    static WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    static WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    static void screenshot(String name) throws Exception {
        String dir = System.getProperty("pneumo.screenshots");
        if (dir != null) {
            Path out = Files.createDirectories(Path.of(dir)).resolve(name + ".png");
            File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), out, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void uploadShowsTheVerdictThenAnErrorThenAVerdictAgain() throws Exception {
        browser.get("http://127.0.0.1:" + server.port() + "/");
        assertThat(byId("notice").getText()).containsIgnoringCase("not a medical device");
        waiting().until(d -> byId("model").getText().contains(detector.info().modelId()));

        String expected = detector.predict(image).label().name();
        byId("file").sendKeys(image.toAbsolutePath().toString());
        waiting().until(d -> byId("verdict").isDisplayed() && !byId("verdict").getText().isBlank());
        String verdict = byId("verdict").getText();
        assertThat(verdict).contains(expected);
        assertThat(verdict).contains(String.format(java.util.Locale.ROOT, "%.1f%%", detector.threshold() * 100));
        assertThat(byId("gauge").isDisplayed()).isTrue();
        assertThat(byId("error").isDisplayed()).isFalse();
        screenshot("1-verdict");

        waiting().until(d -> byId("heatmap-toggle").isEnabled());
        byId("heatmap-toggle").click();
        waiting().until(d -> String.valueOf(byId("preview").getAttribute("src")).startsWith("data:image/png"));
        screenshot("2-heatmap");

        byId("file").sendKeys(notAnImage.toAbsolutePath().toString());
        waiting().until(d -> byId("error").isDisplayed());
        assertThat(byId("error").getText()).contains("JPEG, PNG or DICOM");
        assertThat(byId("result").isDisplayed()).isFalse();
        screenshot("3-error");

        byId("file").sendKeys(image.toAbsolutePath().toString());
        waiting().until(d -> byId("verdict").isDisplayed() && byId("verdict").getText().contains(expected));
        assertThat(byId("error").isDisplayed()).isFalse();

        // The page runs under the server's CSP: a blocked script or style would be logged here.
        List<LogEntry> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(e -> !e.getMessage().contains("favicon.ico"))
                .filter(e -> !e.getMessage().contains("/api/v1/predictions")) // the deliberate 415
                .toList();
        assertThat(severe).extracting(LogEntry::getMessage).isEmpty();
    }
}
