package org.pneumo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.DicomFiles;
import org.pneumo.data.SyntheticImages;
import org.pneumo.infer.Detector;
import org.pneumo.train.TinyModel;

/** Drives the real server on a free loopback port. */
class PneumoServerTest {
    static final String TOKEN = "s3cret-token";
    static final long LIMIT = 256 * 1024;

    @TempDir
    static Path shared;

    static Detector detector;
    static PneumoServer open;
    static PneumoServer guarded;
    static byte[] png;
    static byte[] jpeg;
    static byte[] dicom;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startServers() throws Exception {
        detector = Detector.load(TinyModel.train(shared, 30, 1));
        Random r = new Random(3);
        png = Files.readAllBytes(SyntheticImages.write(SyntheticImages.noisy(40, true, r, null),
                shared.resolve("a.png"), "png"));
        jpeg = Files.readAllBytes(SyntheticImages.write(SyntheticImages.noisy(40, false, r, null),
                shared.resolve("b.jpeg"), "jpeg"));
        int[] samples = new int[40 * 40];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = r.nextInt(4096);
        }
        dicom = DicomFiles.gray(40, 40, 16, samples, "MONOCHROME2", 2048, 4096, DicomFiles.EXPLICIT_LITTLE_ENDIAN);
        open = new PneumoServer(detector, new ServerSettings("127.0.0.1", 0, null, LIMIT, 2, 4)).start();
        guarded = new PneumoServer(detector, new ServerSettings("127.0.0.1", 0, TOKEN, LIMIT, 1, 0)).start();
    }

    @AfterAll
    static void stop() {
        if (open != null) {
            open.close();
        }
        if (guarded != null) {
            guarded.close();
        }
        if (detector != null) {
            detector.close();
        }
    }

    static URI uri(PneumoServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> postRaw(PneumoServer server, String path, String type, byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(uri(server, path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    static HttpResponse<String> postForm(PneumoServer server, String path, String field, String type, byte[] body,
            String token) throws Exception {
        String boundary = "----pneumo" + System.nanoTime();
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field
                + "\"; filename=\"x\"\r\n" + (type == null ? "" : "Content-Type: " + type + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        form.writeBytes(body);
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(server, path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray()));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    static JsonObject json(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        JsonObject p = json(response);
        assertThat(p.get("status").getAsInt()).isEqualTo(status);
        assertThat(p.get("type").getAsString()).isEqualTo("about:blank");
        assertThat(p.get("title").getAsString()).isNotBlank();
        assertThat(p.get("detail").getAsString()).isNotBlank();
        assertSecurityHeaders(response);
    }

    static void assertSecurityHeaders(HttpResponse<?> response) {
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> {
            assertThat(csp).contains("script-src 'self'").contains("default-src 'none'");
            assertThat(csp).doesNotContain("unsafe-inline");
        });
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    }

    static void assertPrediction(JsonObject p) {
        double probability = p.get("probability").getAsDouble();
        double threshold = p.get("threshold").getAsDouble();
        assertThat(probability).isBetween(0.0, 1.0);
        assertThat(threshold).isEqualTo(detector.threshold());
        assertThat(p.get("label").getAsString()).isEqualTo(probability >= threshold ? "PNEUMONIA" : "NORMAL");
        assertThat(p.get("modelId").getAsString()).isEqualTo(detector.info().modelId());
        // The tiny model carries an out-of-scope guard: every answer says whether the image is like its training data.
        assertThat(p.get("inScope").isJsonPrimitive()).as(p.toString()).isTrue();
        assertThat(p.get("typicality").getAsDouble()).isFinite();
        assertThat(p.get("typicalityPercentile").getAsDouble()).isBetween(0.0, 1.0);
        assertThat(p.has("scopeReason")).isEqualTo(!p.get("inScope").getAsBoolean());
        assertThat(p.getAsJsonObject("timing").get("totalMs").getAsDouble()).isPositive();
    }

    @Test
    void multipartPngGivesTheSameAnswerAsTheDetector() throws Exception {
        HttpResponse<String> r = postForm(open, "/api/v1/predictions", "image", "image/png", png, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        assertSecurityHeaders(r);
        JsonObject p = json(r);
        assertPrediction(p);
        assertThat(p.has("heatmap")).isFalse();
        double expected = detector.predict("x", png, false).probability();
        assertThat(p.get("probability").getAsDouble()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void heatmapComesAsAPngDataUrl() throws Exception {
        HttpResponse<String> r = postForm(open, "/api/v1/predictions?heatmap=true", "image", "image/jpeg", jpeg, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String url = json(r).get("heatmap").getAsString();
        assertThat(url).startsWith("data:image/png;base64,");
        byte[] bytes = Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1));
        assertThat(ImageIO.read(new java.io.ByteArrayInputStream(bytes))).isNotNull();
    }

    @Test
    void rawBodiesOfEachTypeAreAccepted() throws Exception {
        assertPrediction(json(postRaw(open, "/api/v1/predictions", "image/jpeg", jpeg)));
        assertPrediction(json(postRaw(open, "/api/v1/predictions", "image/png", png)));
        assertPrediction(json(postRaw(open, "/api/v1/predictions", "application/dicom", dicom)));
        // Browsers send .dcm files untyped: the bytes decide.
        assertPrediction(json(postForm(open, "/api/v1/predictions", "image", "application/octet-stream", dicom,
                null)));
    }

    @Test
    void undecodableImagesAre400() throws Exception {
        byte[] broken = java.util.Arrays.copyOf(png, 40);
        assertProblem(postRaw(open, "/api/v1/predictions", "image/png", broken), 400);
        assertProblem(postForm(open, "/api/v1/predictions", "image", "image/jpeg", "not a jpeg".getBytes(), null),
                400);
        assertProblem(postRaw(open, "/api/v1/predictions", "image/png", new byte[0]), 400);
        assertProblem(postForm(open, "/api/v1/predictions", "file", "image/png", png, null), 400);
        assertProblem(postRaw(open, "/api/v1/predictions?heatmap=maybe", "image/png", png), 400);
    }

    @Test
    void otherMediaTypesAre415() throws Exception {
        assertProblem(postRaw(open, "/api/v1/predictions", "text/plain", "hello".getBytes()), 415);
        assertProblem(postForm(open, "/api/v1/predictions", "image", "image/gif", png, null), 415);
        assertProblem(postForm(open, "/api/v1/predictions", "image", "application/octet-stream",
                "just text, no image".getBytes(), null), 415);
    }

    @Test
    void oversizedUploadsAre413() throws Exception {
        byte[] big = new byte[(int) LIMIT + 1];
        System.arraycopy(png, 0, big, 0, png.length);
        assertProblem(exchange(open, "Content-Type: image/png\r\n", big, false), 413);
        String boundary = "----pneumo" + System.nanoTime();
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        form.writeBytes(big);
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        assertProblem(exchange(open, "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n",
                form.toByteArray(), false), 413);
    }

    @Test
    void declaredOversizeIsRefusedBeforeTheBodyIsRead() throws Exception {
        // Announce 100 MB, send none of it: the answer must come at once.
        try (Socket socket = new Socket("127.0.0.1", open.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/predictions HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n"
                    + "Content-Length: 104857600\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(socket.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 413");
            assertThat(head.toLowerCase()).contains("content-type: application/problem+json");
        }
    }

    @Test
    void chunkedOversizeIsCutAtTheLimit() throws Exception {
        byte[] big = new byte[(int) LIMIT * 3];
        System.arraycopy(png, 0, big, 0, png.length);
        assertProblem(exchange(open, "Content-Type: image/png\r\n", big, true), 413);
    }

    /** A response read off a raw socket: status line, headers (lower-case names) and body. */
    record RawResponse(int status, Map<String, String> headers, String body) {
    }

    /**
     * Posts {@code body} to the prediction API over a raw socket and reads the answer while a second thread is still
     * writing. The server may answer 413 and close before the body is sent: a client that only reads after its write
     * has finished (the JDK's HttpClient) then sees a reset connection instead of the answer, at random under load.
     */
    static RawResponse exchange(PneumoServer server, String headers, byte[] body, boolean chunked) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/predictions HTTP/1.1\r\nHost: localhost\r\n" + headers
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n")
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread writer = new Thread(() -> {
                try {
                    for (int at = 0; at < body.length; at += 8192) {
                        int n = Math.min(8192, body.length - at);
                        if (chunked) {
                            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write(body, at, n);
                        if (chunked) {
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                    if (chunked) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                } catch (IOException expected) {
                    // The server stopped reading after its answer: that is the behaviour under test.
                }
            });
            writer.setDaemon(true);
            writer.start();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertThat(head).as("response head").startsWith("HTTP/1.1 ");
            Map<String, String> fields = new TreeMap<>();
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
                }
            }
            assertThat(fields).as(head).containsKey("content-length");
            byte[] content = in.readNBytes(Integer.parseInt(fields.get("content-length")));
            return new RawResponse(Integer.parseInt(head.substring(9, 12)), fields,
                    new String(content, StandardCharsets.UTF_8));
        }
    }

    static void assertProblem(RawResponse response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().get("content-type")).startsWith("application/problem+json");
        JsonObject p = JsonParser.parseString(response.body()).getAsJsonObject();
        assertThat(p.get("status").getAsInt()).isEqualTo(status);
        assertThat(p.get("title").getAsString()).isNotBlank();
        assertThat(p.get("detail").getAsString()).isNotBlank();
        assertThat(response.headers().get("x-content-type-options")).isEqualTo("nosniff");
    }

    @Test
    void tokenIsRequiredWhenConfigured() throws Exception {
        HttpResponse<String> none = postForm(guarded, "/api/v1/predictions", "image", "image/png", png, null);
        assertProblem(none, 401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertProblem(postForm(guarded, "/api/v1/predictions", "image", "image/png", png, "wrong-token"), 401);
        HttpResponse<String> ok = postForm(guarded, "/api/v1/predictions", "image", "image/png", png, TOKEN);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(uri(guarded, "/health")).build()).statusCode()).isEqualTo(200);
    }

    @Test
    void aFullQueueGets503AtOnce() throws Exception {
        // The guarded server has one worker and no queue: while its only place is taken, others get 503 at once.
        // (A slow upload no longer takes it: the body is read before a place is taken; see ServerInputTest.)
        PredictionGate.Admission held = guarded.gate().admit();
        try {
            assertThat(guarded.gate().inFlight()).isEqualTo(1);
            HttpResponse<String> busy = postForm(guarded, "/api/v1/predictions", "image", "image/png", png, TOKEN);
            assertProblem(busy, 503);
            assertThat(busy.headers().firstValue("Retry-After")).isPresent();
        } finally {
            held.close();
        }
        assertThat(guarded.gate().inFlight()).isZero();
        HttpResponse<String> again = postForm(guarded, "/api/v1/predictions", "image", "image/png", png, TOKEN);
        assertThat(again.statusCode()).isEqualTo(200);
    }

    @Test
    void modelCardHealthAndOpenApi() throws Exception {
        HttpResponse<String> model = send(HttpRequest.newBuilder(uri(open, "/api/v1/model")).build());
        assertThat(model.statusCode()).isEqualTo(200);
        assertSecurityHeaders(model);
        JsonObject card = json(model);
        assertThat(card.get("modelId").getAsString()).isEqualTo(detector.info().modelId());
        assertThat(card.get("operatingThreshold").getAsDouble()).isEqualTo(detector.threshold());
        assertThat(card.getAsJsonObject("input").get("imageSize").getAsInt()).isEqualTo(32);

        HttpResponse<String> health = send(HttpRequest.newBuilder(uri(open, "/health")).build());
        assertThat(json(health).get("status").getAsString()).isEqualTo("UP");

        JsonObject api = json(send(HttpRequest.newBuilder(uri(open, "/api/v1/openapi.json")).build()));
        assertThat(api.get("openapi").getAsString()).startsWith("3.");
        JsonObject paths = api.getAsJsonObject("paths");
        assertThat(paths.keySet()).containsExactlyInAnyOrder("/api/v1/predictions", "/api/v1/model", "/health",
                "/api/v1/openapi.json");
        assertThat(paths.getAsJsonObject("/api/v1/predictions").getAsJsonObject("post")
                .getAsJsonObject("responses").keySet()).contains("200", "400", "401", "413", "415", "503");
    }

    @Test
    void unknownPathsAndMethodsAreProblems() throws Exception {
        assertProblem(send(HttpRequest.newBuilder(uri(open, "/nothing-here")).build()), 404);
        assertProblem(send(HttpRequest.newBuilder(uri(open, "/api/v1/predictions")).build()), 405);
    }

    @Test
    void thePageAndItsAssetsAreServedWithTheHeaders() throws Exception {
        HttpResponse<String> page = send(HttpRequest.newBuilder(uri(open, "/")).build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertSecurityHeaders(page);
        assertThat(page.body()).contains("not a medical device").doesNotContain("<script>")
                .doesNotContain("http://").doesNotContain("https://");
        HttpResponse<String> script = send(HttpRequest.newBuilder(uri(open, "/app.js")).build());
        assertThat(script.statusCode()).isEqualTo(200);
        assertSecurityHeaders(script);
    }

    @Test
    void aRequestWritesNothingUnderTheWorkingOrTemporaryDirectory() throws Exception {
        Path work = Path.of("").toAbsolutePath();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        // The build points java.io.tmpdir into the module, so one tree covers both.
        assertThat(tmp).startsWith(work);
        Map<String, Long> before = snapshot(work);
        List<String> events = new ArrayList<>();
        // Watch every folder as well: a temporary file deleted before the request ends leaves no trace afterwards.
        try (WatchService watcher = work.getFileSystem().newWatchService();
                Stream<Path> dirs = Files.walk(work)) {
            for (Path d : (Iterable<Path>) dirs.filter(Files::isDirectory).filter(PneumoServerTest::watched)::iterator) {
                d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            }
            assertThat(postForm(open, "/api/v1/predictions?heatmap=true", "image", "image/png", png, null)
                    .statusCode()).isEqualTo(200);
            assertThat(postRaw(open, "/api/v1/predictions?heatmap=true", "application/dicom", dicom).statusCode())
                    .isEqualTo(200);
            assertThat(postForm(open, "/api/v1/predictions", "image", "image/jpeg", jpeg, null).statusCode())
                    .isEqualTo(200);
            WatchKey key;
            while ((key = watcher.poll(500, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
                for (WatchEvent<?> e : key.pollEvents()) {
                    events.add(e.kind() + " " + ((Path) key.watchable()).resolve((Path) e.context()));
                }
                key.reset();
            }
        }
        assertThat(events).isEmpty();
        assertThat(snapshot(work)).isEqualTo(before);
    }

    private static boolean watched(Path p) {
        return !p.toString().contains("surefire-reports");
    }

    /** Every file (size and time) under {@code root}, except the test runner's own captured output. */
    static Map<String, Long> snapshot(Path root) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(PneumoServerTest::watched).forEach(p -> {
                try {
                    files.put(root.relativize(p).toString(),
                            Files.isDirectory(p) ? -1 : Files.size(p) * 31 + Files.getLastModifiedTime(p).toMillis());
                } catch (IOException e) {
                    files.put(root.relativize(p).toString(), -2L);
                }
            });
        }
        return files;
    }

    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }
}
