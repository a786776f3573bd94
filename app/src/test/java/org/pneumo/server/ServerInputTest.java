package org.pneumo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pneumo.data.SyntheticImages;
import org.pneumo.infer.Detector;
import org.pneumo.train.TinyModel;

/** Bad and hostile HTTP input, sent byte for byte on a socket: never a 500, always problem+json with the headers. */
class ServerInputTest {
    @TempDir
    static Path shared;

    static Detector detector;
    static PneumoServer server;
    static byte[] jpeg;

    @BeforeAll
    static void start() throws Exception {
        detector = Detector.load(TinyModel.train(shared, 20, 1));
        jpeg = Files.readAllBytes(SyntheticImages.write(SyntheticImages.noisy(40, false, new Random(1), null),
                shared.resolve("b.jpeg"), "jpeg"));
        server = new PneumoServer(detector, new ServerSettings("127.0.0.1", 0, null, 32L << 20, 1, 0)).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (detector != null) {
            detector.close();
        }
    }

    /** A response as read from the socket; status -1 when the server closed without answering. */
    record Answer(int status, Map<String, String> headers, String body) {}

    static Answer exchange(byte[] request, boolean halfClose) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            if (halfClose) {
                s.shutdownOutput();
            }
            return read(s.getInputStream());
        }
    }

    static Answer exchange(String request) throws IOException {
        return exchange(request.getBytes(StandardCharsets.ISO_8859_1), false);
    }

    static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                all.write(buf, 0, n);
                String text = all.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end >= 0) {
                    Map<String, String> h = headers(text.substring(0, end));
                    String length = h.get("content-length");
                    if (length != null && text.length() - end - 4 >= Integer.parseInt(length)) {
                        break;
                    }
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // a reset after the answer: keep what came
        }
        String text = all.toString(StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return new Answer(-1, Map.of(), "");
        }
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        int status = Integer.parseInt(head.split(" ", 3)[1]);
        return new Answer(status, headers(head), end < 0 ? "" : text.substring(end + 4));
    }

    static Map<String, String> headers(String head) {
        Map<String, String> h = new LinkedHashMap<>();
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                h.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return h;
    }

    /** A problem+json answer with the security headers, or (only where allowed) a quiet close. */
    static void assertProblem(Answer a, int... statuses) {
        assertThat(a.status()).as(a.body()).isIn(java.util.Arrays.stream(statuses).boxed().toArray());
        assertThat(a.headers().get("content-type")).as(a.body()).startsWith("application/problem+json");
        JsonObject p = JsonParser.parseString(a.body().trim()).getAsJsonObject();
        assertThat(p.get("status").getAsInt()).isEqualTo(a.status());
        assertThat(p.get("title").getAsString()).isNotBlank();
        assertThat(p.get("detail").getAsString()).isNotBlank();
        assertThat(a.headers().get("content-security-policy")).contains("default-src 'none'");
        assertThat(a.headers().get("x-content-type-options")).isEqualTo("nosniff");
        assertThat(a.headers().get("referrer-policy")).isEqualTo("no-referrer");
    }

    static byte[] post(String headers, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("POST /api/v1/predictions HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    @Test
    void anUnknownCharsetOnAnImageTypeIsIgnored() throws Exception {
        Answer a = exchange(post("Content-Type: image/jpeg; charset=x\r\nContent-Length: " + jpeg.length
                + "\r\nConnection: close\r\n", jpeg), false);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
    }

    @Test
    void badChunkingIsA400() throws Exception {
        Answer a = exchange(post("Content-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n",
                "zz\r\nhello\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), true);
        assertProblem(a, 400);
    }

    @Test
    void gzipTransferEncodingIsRefused() throws Exception {
        Answer a = exchange(post("Content-Type: image/jpeg\r\nTransfer-Encoding: gzip, chunked\r\n",
                "5\r\nhello\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), true);
        assertProblem(a, 400, 501);
    }

    @Test
    void anAbortedBodyLeavesTheServerHealthy() throws Exception {
        for (int i = 0; i < 3; i++) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.getOutputStream().write(post("Content-Type: image/jpeg\r\nContent-Length: 100000\r\n",
                        java.util.Arrays.copyOf(jpeg, 500)));
                s.getOutputStream().flush();
            }
        }
        Answer ok = exchange(post("Content-Type: image/jpeg\r\nContent-Length: " + jpeg.length
                + "\r\nConnection: close\r\n", jpeg), false);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /%2e%2e/x HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "GET /%ZZ HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "GET /health HTTP/3.0\r\nHost: localhost\r\n\r\n",
        "POST /api/v1/predictions HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n",
        "GET /health HTTP/1.1\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "POST /api/v1/predictions?heatmap=%ZZ HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/jpeg\r\n"
                + "Content-Length: 3\r\n\r\nabc",
    })
    void jettysOwnRefusalsAreProblemsWithTheHeaders(String request) throws Exception {
        assertProblem(exchange(request), 400, 404, 405, 505);
    }

    @Test
    void oversizedUriAndHeadersAreProblems() throws Exception {
        assertProblem(exchange("GET /" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n"), 414, 431);
        assertProblem(exchange("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(70_000)
                + "\r\n\r\n"), 431);
    }

    @Test
    void aMalformedHeatmapFlagIsA400() throws Exception {
        Answer a = exchange(("POST /api/v1/predictions?heatmap=%ZZ HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: image/jpeg\r\nConnection: close\r\nContent-Length: " + jpeg.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), false);
        assertProblem(a, 400);
        assertProblem(exchange("GET /api/v1/model?x=%G1 HTTP/1.1\r\nHost: localhost\r\n\r\n"), 400);
    }

    @Test
    void slowUploadsDoNotLockOthersOut() throws Exception {
        // One worker, no queue: before, three trickling uploads held the only place and everyone else got 503.
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.getOutputStream().write(post("Content-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n",
                        java.util.Arrays.copyOf(jpeg, 10)));
                s.getOutputStream().flush();
                slow.add(s);
            }
            Thread.sleep(300);
            Answer a = exchange(post("Content-Type: image/jpeg\r\nContent-Length: " + jpeg.length
                    + "\r\nConnection: close\r\n", jpeg), false);
            assertThat(a.status()).as(a.body()).isEqualTo(200);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void theModelCardShowsNoPaths() throws Exception {
        Answer a = exchange("GET /api/v1/model HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).contains("modelId").doesNotContain(shared.toString()).doesNotContain("\"/");
    }

    static java.util.stream.Stream<org.pneumo.data.InputCorpus.Case> corpus() {
        return org.pneumo.data.InputCorpus.cases(true).stream();
    }

    /** The standing guard's corpus posted as a client would: no 500, problem+json and the headers on every refusal. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("corpus")
    void theCorpusNeverGetsA500(org.pneumo.data.InputCorpus.Case c) throws Exception {
        Answer a = exchange(post("Content-Type: " + c.mediaType() + "\r\nContent-Length: " + c.bytes().length
                + "\r\nConnection: close\r\n", c.bytes()), false);
        if (c.readable()) {
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            assertThat(a.body()).contains("\"label\"");
            assertThat(a.headers().get("content-security-policy")).contains("default-src 'none'");
        } else {
            assertProblem(a, 400);
            assertThat(a.body()).contains(c.reason());
        }
    }
}
