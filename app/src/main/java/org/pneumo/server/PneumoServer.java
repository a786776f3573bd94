package org.pneumo.server;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pneumo.infer.Detector;
import org.pneumo.io.Json;
import org.pneumo.model.ModelFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: the prediction API, the model card, health, the OpenAPI description and the web page, with
 * problem+json errors and security headers on every response. Takes its detector and settings in the constructor;
 * {@link #start()} binds the port.
 */
public final class PneumoServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PneumoServer.class);
    static final Gson GSON = Json.API;
    static final String PROBLEM_JSON = "application/problem+json";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data: blob:; connect-src 'self'; form-action 'none'; frame-ancestors 'none';"
            + " base-uri 'none'";
    /** Headers on every response, whoever writes it (a route, Javalin, or Jetty's error handler). */
    static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY",
            "Cross-Origin-Opener-Policy", "same-origin");

    private final Detector detector;
    private final ServerSettings settings;
    private final PredictionGate gate;
    private final Javalin app;

    public PneumoServer(Detector detector, ServerSettings settings) {
        this.detector = detector;
        this.settings = settings;
        this.gate = new PredictionGate(settings.workers(), settings.queue());
        PredictionController predictions = new PredictionController(detector, gate, settings.maxUploadBytes(),
                PredictionController.uploadBudget(settings));
        byte[] openApi = resource("/org/pneumo/server/openapi.json");
        int inMemoryMb = (int) (settings.maxUploadBytes() / (1024 * 1024)) + 1;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = settings.maxUploadBytes() + PredictionController.MULTIPART_OVERHEAD;
            // Parts stay in memory up to the upload limit, so an image never lands in a temporary file.
            config.jetty.multipartConfig.maxInMemoryFileSize(inMemoryMb, SizeUnit.MB);
            config.jetty.multipartConfig.maxFileSize(settings.maxUploadBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(
                    settings.maxUploadBytes() + PredictionController.MULTIPART_OVERHEAD, SizeUnit.BYTES);
            config.staticFiles.add("/web", Location.CLASSPATH);
            ProblemErrorHandler errors = new ProblemErrorHandler();
            config.jetty.modifyServer(server -> server.setErrorHandler(errors));
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(errors));
            // Path and status only: no query string (it could carry secrets) and never any image content.
            config.requestLogger.http((ctx, ms) -> LOG.info("{} {} {} {} ms", ctx.method(), ctx.path(),
                    ctx.statusCode(), Math.round(ms)));
            config.routes.before(PneumoServer::securityHeaders);
            config.routes.before(ctx -> Queries.check(ctx.queryString()));
            config.routes.before("/api/v1/predictions", ctx -> {
                authorize(ctx);
                predictions.checkDeclaredLength(ctx);
            });
            config.routes.post("/api/v1/predictions", predictions::predict);
            config.routes.get("/api/v1/model", this::model);
            config.routes.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
            config.routes.get("/health", this::health);
            config.routes.exception(Problem.class, (e, ctx) -> problem(ctx, e));
            config.routes.exception(Exception.class, (e, ctx) -> {
                String client = PredictionController.clientFault(e);
                if (client != null) {
                    // The client broke the exchange (aborted or malformed body): one line, no stack trace.
                    LOG.warn("request {} {} refused: {}", ctx.method(), ctx.path(), client);
                    problem(ctx, Problem.badRequest("The request body could not be read: " + client + "."));
                    return;
                }
                LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
                problem(ctx, new Problem(500, "Internal server error",
                        "The server failed to handle this request; the error is in its log."));
            });
            config.routes.error(404, ctx -> {
                if (!isProblem(ctx)) {
                    problem(ctx, new Problem(404, "Not found", "There is nothing at " + ctx.path() + "."));
                }
            });
            config.routes.error(405, ctx -> {
                if (!isProblem(ctx)) {
                    problem(ctx, new Problem(405, "Method not allowed",
                            ctx.method() + " is not allowed on " + ctx.path() + "."));
                }
            });
        });
    }

    /** Binds the host and port of the settings (port 0 = any free port). */
    public PneumoServer start() {
        app.start(settings.host(), settings.port());
        return this;
    }

    /** The bound port. */
    public int port() {
        return app.port();
    }

    public PredictionGate gate() {
        return gate;
    }

    @Override
    public void close() {
        app.stop();
    }

    private void authorize(Context ctx) {
        if (settings.token() == null) {
            return;
        }
        String header = ctx.header("Authorization");
        String expected = "Bearer " + settings.token();
        if (header == null || !MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw Problem.unauthorized(header == null ? "This server needs an access token: send"
                    + " 'Authorization: Bearer <token>'." : "The access token is not valid.");
        }
    }

    private void model(Context ctx) {
        JsonObject card = ModelFiles.gson().toJsonTree(detector.info()).getAsJsonObject();
        withoutPaths(card);
        card.addProperty("operatingThreshold", detector.threshold());
        ctx.status(200).contentType("application/json").result(GSON.toJson(card));
    }

    /**
     * Removes every value that is a file path (the training machine's data folder, for one) from a model card: the
     * card is public, the layout of the machine that made the model is not.
     */
    static void withoutPaths(com.google.gson.JsonElement e) {
        if (e.isJsonObject()) {
            JsonObject o = e.getAsJsonObject();
            for (String key : new java.util.ArrayList<>(o.keySet())) {
                com.google.gson.JsonElement v = o.get(key);
                if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isString() && isPath(v.getAsString())) {
                    o.remove(key);
                } else {
                    withoutPaths(v);
                }
            }
        } else if (e.isJsonArray()) {
            com.google.gson.JsonArray a = e.getAsJsonArray();
            for (int i = a.size() - 1; i >= 0; i--) {
                com.google.gson.JsonElement v = a.get(i);
                if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isString() && isPath(v.getAsString())) {
                    a.remove(i);
                } else {
                    withoutPaths(v);
                }
            }
        }
    }

    private static boolean isPath(String s) {
        return s.startsWith("/") || s.startsWith("~") || s.startsWith("file:") || s.matches("^[A-Za-z]:[\\\\/].*")
                || s.startsWith("\\\\");
    }

    private void health(Context ctx) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("status", "UP");
        h.put("modelId", detector.info().modelId());
        h.put("workers", gate.workers());
        h.put("queue", gate.queue());
        h.put("inFlight", gate.inFlight());
        json(ctx, 200, h);
    }

    private static void securityHeaders(Context ctx) {
        SECURITY_HEADERS.forEach(ctx::header);
        if (ctx.path().startsWith("/api/")) {
            ctx.header("Cache-Control", "no-store");
        }
    }

    private static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(PROBLEM_JSON);
    }

    private static void problem(Context ctx, Problem p) {
        ctx.status(p.status()).contentType(PROBLEM_JSON).result(GSON.toJson(p.body(ctx.path())));
        if (p.status() == 503) {
            ctx.header("Retry-After", "1");
        }
    }

    static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(GSON.toJson(body));
    }

    private static byte[] resource(String name) {
        try (InputStream in = PneumoServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
    }
}
