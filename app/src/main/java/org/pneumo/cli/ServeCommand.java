package org.pneumo.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.pneumo.infer.Detector;
import org.pneumo.server.PneumoServer;
import org.pneumo.server.ServerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pneumo serve}: the web page and the HTTP API over one shared detector. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve the web page (at /) and the HTTP API (POST /api/v1/predictions, GET /api/v1/model,"
                + " GET /health, GET /api/v1/openapi.json). Uploads stay in memory; nothing is written to disk."
                + " Stop with Ctrl+C.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on; 0.0.0.0 opens the server to the network. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
            description = "TCP port (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--token", paramLabel = "T",
            description = "Require 'Authorization: Bearer T' on the prediction API (at least 8 characters). Also"
                    + " read from the environment variable PNEUMO_TOKEN. Default: no token.")
    String token;

    @Option(names = "--max-upload-mb", paramLabel = "MB", defaultValue = "20",
            description = "Largest accepted image in megabytes; larger uploads get HTTP 413. Default: ${DEFAULT-VALUE}.")
    int maxUploadMb;

    @Option(names = "--workers", paramLabel = "N",
            description = "Predictions run at once. Default: the number of CPU cores.")
    Integer workers;

    @Option(names = "--queue", paramLabel = "N", defaultValue = "16",
            description = "Requests allowed to wait for a worker; more get HTTP 503 at once. Default: ${DEFAULT-VALUE}.")
    int queue;

    @Override
    public Integer call() throws Exception {
        if (maxUploadMb < 1 || maxUploadMb > 1024) {
            throw new IllegalArgumentException("--max-upload-mb " + maxUploadMb + " is outside [1, 1024]");
        }
        String secret = token != null ? token : System.getenv("PNEUMO_TOKEN");
        ServerSettings settings = new ServerSettings(host, port, secret, maxUploadMb * 1024L * 1024L,
                workers != null ? workers : Runtime.getRuntime().availableProcessors(), queue);
        // Progress and the address go to standard output: that is where a user looks for them.
        long start = System.nanoTime();
        System.out.println("pneumo: loading the model (the first start also unpacks PyTorch's native libraries)");
        Detector detector = modelOptions.load();
        System.out.printf(Locale.ROOT, "pneumo: model %s loaded in %.1f s; warming up%n", detector.info().modelId(),
                (System.nanoTime() - start) / 1e9);
        // One prediction before the port opens: PyTorch's first call is ten times slower than the next ones.
        int side = detector.inputSpec().imageSize();
        detector.predict("warm-up", new java.awt.image.BufferedImage(side, side,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY), true);
        PneumoServer server;
        try {
            server = new PneumoServer(detector, settings).start();
        } catch (RuntimeException e) {
            detector.close();
            throw new IllegalArgumentException("cannot listen on " + host + ":" + port + ": " + rootMessage(e), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            detector.close();
            stopped.countDown();
        }, "pneumo-shutdown"));
        String shown = host.contains(":") ? "[" + host + "]" : host;
        System.out.printf(Locale.ROOT, "pneumo: serving model %s (threshold %.4f) at http://%s:%d/ with %d workers,"
                + " queue %d, uploads up to %d MB%s; ready in %.1f s. Research tool, not a medical device. Ctrl+C"
                + " stops.%n", detector.info().modelId(), detector.threshold(), shown, server.port(),
                settings.workers(), settings.queue(), maxUploadMb, secret != null ? ", token required" : "",
                (System.nanoTime() - start) / 1e9);
        System.out.flush();
        stopped.await();
        return 0;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
