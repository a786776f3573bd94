package org.pneumo.server;

import static org.assertj.core.api.Assertions.assertThat;

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
            // The whole page, not only the window, so the images below the verdict can be looked at too.
            ChromeDriver chrome = (ChromeDriver) browser;
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> size = (java.util.Map<String, Object>) chrome
                    .executeCdpCommand("Page.getLayoutMetrics", java.util.Map.of()).get("cssContentSize");
            java.util.Map<String, Object> clip = java.util.Map.of("x", 0, "y", 0, "scale", 1,
                    "width", size.get("width"), "height", size.get("height"));
            String png = (String) chrome.executeCdpCommand("Page.captureScreenshot",
                    java.util.Map.of("format", "png", "captureBeyondViewport", true, "clip", clip)).get("data");
            Files.write(out, java.util.Base64.getDecoder().decode(png));
        }
    }

    static void open(int width, int height) {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
        browser.get("http://127.0.0.1:" + server.port() + "/");
        assertThat(byId("notice").getText()).containsIgnoringCase("not a medical device");
    }

    static String expectedLabel() throws Exception {
        return detector.predict(image).label().name();
    }

    /** Every probability on the page reads "97.3%", ">99.9%" or "<0.1%"; no other spelling of it is left. */
    static void assertOneProbabilityFormat() {
        String page = byId("result").getText() + "\n" + byId("batch").getText();
        assertThat(page).doesNotContainIgnoringCase("score").doesNotContain("P(pneumonia)")
                .doesNotContain("percentage points");
        assertThat(byId("gauge-marker-label").getText()).matches("probability (\\d{1,3}\\.\\d%|>99\\.9%|<0\\.1%)");
        assertThat(byId("gauge-threshold-label").getText()).matches("threshold \\d{1,3}\\.\\d%");
    }

    /** The page runs under the server's CSP: a blocked script or style, or a missing favicon, is logged here. */
    static void assertNoConsoleErrors() {
        List<LogEntry> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(e -> !e.getMessage().contains("/api/v1/predictions")) // the deliberate 415
                .toList();
        assertThat(severe).extracting(LogEntry::getMessage).isEmpty();
    }

    /** ChromeDriver takes only canonical paths ("../shared/..." from -Dpneumo.browser.image is refused). */
    static String path(Path p) throws java.io.IOException {
        return p.toRealPath().toString();
    }

    @Test
    void uploadShowsTheVerdictThenAnErrorThenAVerdictAgain() throws Exception {
        open(1280, 1000);
        String expected = expectedLabel();
        uploadOne();
        String verdict = byId("verdict").getText();
        assertThat(verdict).contains(expected);
        assertThat(verdict).contains(String.format(java.util.Locale.ROOT, "%.1f%%", detector.threshold() * 100));
        assertThat(byId("gauge").isDisplayed()).isTrue();
        assertThat(byId("error").isDisplayed()).isFalse();
        assertOneProbabilityFormat();

        // The verdict names its file: name, size and pixel size.
        waiting().until(d -> byId("file-info").getText().contains(" px"));
        String size = Files.size(image) < 1024 ? Files.size(image) + " B"
                : String.format(java.util.Locale.ROOT, "%.1f KB", Files.size(image) / 1024.0);
        java.awt.image.BufferedImage pixels = javax.imageio.ImageIO.read(image.toFile());
        assertThat(byId("file-info").getText()).contains(image.getFileName().toString()).contains(size)
                .contains(pixels.getWidth() + " × " + pixels.getHeight() + " px");

        // The heatmap sits beside the X-ray, and neither moves when it arrives.
        waiting().until(d -> String.valueOf(byId("heatmap").getAttribute("src")).startsWith("data:image/png"));
        waiting().until(d -> Boolean.TRUE.equals(((org.openqa.selenium.JavascriptExecutor) d)
                .executeScript("return document.getElementById('heatmap').complete")));
        org.openqa.selenium.Rectangle xray = byId("preview").getRect();
        org.openqa.selenium.Rectangle heat = byId("heatmap").getRect();
        assertThat(heat.getY()).isEqualTo(xray.getY());
        assertThat(heat.getX()).isGreaterThan(xray.getX() + xray.getWidth() - 1);
        assertThat(heat.getDimension()).isEqualTo(xray.getDimension());
        assertThat(xray.getWidth()).isEqualTo(xray.getHeight()); // a fixed square frame, whatever the image
        screenshot("1-verdict-desktop");

        byId("file").sendKeys(path(notAnImage));
        waiting().until(d -> byId("error").isDisplayed());
        assertThat(byId("error").getText()).contains("JPEG, PNG or DICOM");
        assertThat(byId("result").isDisplayed()).isFalse();
        screenshot("3-error");

        byId("file").sendKeys(path(image));
        waiting().until(d -> byId("verdict").isDisplayed() && byId("verdict").getText().contains(expected));
        assertThat(byId("error").isDisplayed()).isFalse();
        assertNoConsoleErrors();
    }

    @Test
    void theModelCardIsFoldedFullWidthWithDatesForPeopleAndTheFaviconIsServed() throws Exception {
        open(1280, 1000);
        WebElement details = byId("model-details");
        assertThat(details.getAttribute("open")).isNull();
        browser.findElement(By.cssSelector("#model-details summary")).click();
        waiting().until(d -> byId("model").getText().contains(detector.info().modelId()));
        String card = byId("model").getText();
        assertThat(card).doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T");
        if (detector.info().created() != null) {
            assertThat(card).containsPattern("Created\\s+\\d{1,2} [A-Z][a-z]+ \\d{4}, \\d{2}:\\d{2} UTC");
        }
        WebElement upload = browser.findElement(By.cssSelector("main .panel"));
        WebElement model = browser.findElement(By.cssSelector("main .panel.model"));
        assertThat(model.getRect().getWidth()).isEqualTo(upload.getRect().getWidth());
        assertThat(model.getRect().getY()).isGreaterThan(upload.getRect().getY());
        screenshot("4-model-card");

        java.net.http.HttpResponse<String> icon = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + server.port() + "/favicon.svg")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(icon.statusCode()).isEqualTo(200);
        assertThat(icon.headers().firstValue("Content-Type").orElse("")).contains("svg");
        assertThat(browser.findElement(By.cssSelector("link[rel=icon]")).getAttribute("href")).endsWith("/favicon.svg");
        assertNoConsoleErrors();
    }

    @Test
    void severalFilesGiveATableOfVerdictsInOrder() throws Exception {
        open(1280, 1000);
        String expected = expectedLabel();
        Path second = Files.copy(image, shared.resolve("second-" + image.getFileName()),
                StandardCopyOption.REPLACE_EXISTING);
        byId("file").sendKeys(path(image) + "\n" + path(notAnImage) + "\n" + path(second));
        waiting().until(d -> rows().size() == 3 && rows().stream().noneMatch(r -> r.getText().contains("waiting")));
        List<WebElement> rows = rows();
        assertThat(rows.get(0).getText()).contains(image.getFileName().toString()).contains(expected)
                .containsPattern("probability (\\d{1,3}\\.\\d%|>99\\.9%|<0\\.1%)");
        assertThat(rows.get(1).getText()).contains("notes.txt").contains("error").contains("JPEG, PNG or DICOM");
        assertThat(rows.get(2).getText()).contains(second.getFileName().toString()).contains(expected);
        assertThat(byId("result").isDisplayed()).isFalse();
        assertThat(byId("status").getText()).isBlank();
        screenshot("5-table-desktop");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        screenshot("6-table-phone");
        assertNoConsoleErrors();
    }

    /** Chooses the test image and waits for its verdict. */
    static void uploadOne() throws Exception {
        byId("file").sendKeys(path(image));
        waiting().until(d -> byId("verdict").isDisplayed() && !byId("verdict").getText().isBlank());
    }

    /** Chooses the test image twice (the batch table) and waits until both rows are answered. */
    static void uploadTwo() throws Exception {
        byId("file").sendKeys(path(image) + "\n" + path(image));
        waiting().until(d -> rows().size() == 2 && rows().stream().noneMatch(r -> r.getText().contains("waiting")));
    }

    static List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#batch-rows tr"));
    }

    /** Makes every prediction answer say the image is out of scope, as the API does for unusual images. */
    static void answersOutOfScope() {
        answersWith("{inScope: false, typicality: 0.01, typicalityPercentile: 0.2,"
                + " scopeReason: 'Unlike the training images.'}");
    }

    /** Makes every prediction answer say the image is in scope but unusual (a scopeNote), as the API does. */
    static void answersUnusual() {
        answersWith("{inScope: true, typicality: 20.0, typicalityPercentile: 0.973,"
                + " scopeNote: 'more atypical than 97.3% of the validation images'}");
    }

    /** Overrides fields of every prediction answer the page receives with {@code fields} (a JavaScript object). */
    static void answersWith(String fields) {
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "const real = window.fetch;"
                + "window.fetch = (url, init) => real(url, init).then((res) => !String(url).includes('predictions')"
                + " || !res.ok ? res : res.json().then((d) => new Response(JSON.stringify(Object.assign(d, "
                + fields + ")), {headers: {'Content-Type': 'application/json'}})));");
    }

    @Test
    void anOutOfScopeImageGetsAWarningInsteadOfAVerdict() throws Exception {
        open(1280, 1000);
        answersOutOfScope();
        uploadOne();
        assertThat(byId("verdict").getAttribute("class")).contains("is-out-of-scope");
        assertThat(byId("verdict").getText()).contains("Not reliable for this image")
                .contains("Unlike the training images.").contains("should not be trusted");
        assertThat(byId("verdict").getAttribute("role")).isEqualTo("alert");
        assertThat(byId("gauge").isDisplayed()).isFalse();
        assertThat(byId("heatmap").isDisplayed()).isFalse(); // the picture would print a verdict of its own
        assertThat(byId("heatmap-note").getText()).contains("not reliable");
        screenshot("7-out-of-scope");

        uploadTwo();
        for (WebElement row : rows()) {
            assertThat(row.getText()).contains("out of scope").contains("Unlike the training images.")
                    .doesNotContain("PNEUMONIA").doesNotContain("NORMAL");
        }
        assertNoConsoleErrors();
    }

    @Test
    void anUnusualImageKeepsItsVerdictWithACaution() throws Exception {
        open(1280, 1000);
        answersUnusual();
        uploadOne();
        assertThat(byId("verdict").getAttribute("class")).doesNotContain("is-out-of-scope");
        assertThat(byId("verdict").getText()).containsAnyOf("NORMAL", "PNEUMONIA")
                .contains("Caution, an unusual image: more atypical than 97.3% of the validation images.");
        assertThat(byId("gauge").isDisplayed()).isTrue();

        uploadTwo();
        for (WebElement row : rows()) {
            assertThat(row.getText()).contains("unusual image: check it").containsAnyOf("NORMAL", "PNEUMONIA");
        }
        assertNoConsoleErrors();
    }

    @Test
    void onAPhoneTheVerdictAndBothImagesFit() throws Exception {
        open(390, 844);
        byId("file").sendKeys(path(image));
        waiting().until(d -> String.valueOf(byId("heatmap").getAttribute("src")).startsWith("data:image/png"));
        long scrollWidth = (Long) ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollWidth");
        long clientWidth = (Long) ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return document.documentElement.clientWidth");
        assertThat(scrollWidth).isLessThanOrEqualTo(clientWidth); // nothing sticks out sideways
        // Too narrow for two readable pictures side by side: the heatmap goes below the X-ray, at the same size.
        org.openqa.selenium.Rectangle xray = byId("preview").getRect();
        org.openqa.selenium.Rectangle heat = byId("heatmap").getRect();
        assertThat(heat.getDimension()).isEqualTo(xray.getDimension());
        assertThat(heat.getY()).isGreaterThan(xray.getY() + xray.getHeight() - 1);
        assertThat(xray.getWidth()).isGreaterThan(250);
        screenshot("2-verdict-phone");
        assertNoConsoleErrors();
    }
}
