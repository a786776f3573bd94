package org.pneumo.server;

import io.javalin.http.Context;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.pneumo.data.DataException;
import org.pneumo.infer.Detector;
import org.pneumo.infer.HeatmapImage;
import org.pneumo.infer.Prediction;

/**
 * Handles {@code POST /api/v1/predictions}: reads the whole upload into memory first (never to disk; bounded by the
 * upload limit, a minimum data rate after a grace period and an overall deadline, and by a byte budget shared by all
 * uploads being read), and only then takes a place in the {@link PredictionGate}, so that slow uploads cannot lock
 * others out. Then it checks the image's type by its bytes, runs the shared detector and answers label, probability,
 * threshold, model and timing, with the Grad-CAM overlay as a PNG data URL when {@code ?heatmap=true}.
 */
public final class PredictionController {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PredictionController.class);
    /** Room for multipart boundaries and part headers on top of the image itself. */
    static final long MULTIPART_OVERHEAD = 64 * 1024;
    /** An upload must arrive within this time, whatever its size. */
    static final long READ_DEADLINE_MS = 60_000;
    /** After the grace period an upload must average at least this many bytes a second. */
    static final long MIN_BYTES_PER_SECOND = 16 * 1024;
    static final long RATE_GRACE_MS = 5_000;
    /** Uploads being read at once hold at most this many bytes together (at least one full upload). */
    static final long UPLOAD_BUDGET_BYTES = 256L << 20;

    private final Detector detector;
    private final PredictionGate gate;
    private final long maxUploadBytes;
    private final java.util.concurrent.Semaphore budgetKb;
    private final int budgetKbTotal;

    public PredictionController(Detector detector, PredictionGate gate, long maxUploadBytes, long uploadBudgetBytes) {
        this.detector = detector;
        this.gate = gate;
        this.maxUploadBytes = maxUploadBytes;
        this.budgetKbTotal = (int) Math.max(1, uploadBudgetBytes >> 10);
        this.budgetKb = new java.util.concurrent.Semaphore(budgetKbTotal);
    }

    /** The byte budget for uploads being read: room for every admitted request, at most 256 MB, at least one. */
    static long uploadBudget(ServerSettings s) {
        long one = s.maxUploadBytes() + MULTIPART_OVERHEAD;
        long all = one * (s.workers() + s.queue());
        return Math.max(one, Math.min(UPLOAD_BUDGET_BYTES, all));
    }

    /** The media types the API takes (the bytes still decide what the file is). */
    enum ImageType { JPEG, PNG, DICOM }

    /** Refuses a declared body larger than the limit before any of it is read. */
    void checkDeclaredLength(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length > limit(ctx)) {
            throw Problem.tooLarge(maxUploadBytes);
        }
    }

    private long limit(Context ctx) {
        return maxUploadBytes + (isMultipart(ctx) ? MULTIPART_OVERHEAD : 0);
    }

    void predict(Context ctx) throws Exception {
        long start = System.nanoTime();
        boolean heatmap = Queries.flag(ctx.queryString(), "heatmap");
        long declared = ctx.req().getContentLengthLong();
        int kb = (int) Math.min(budgetKbTotal, ((declared >= 0 ? declared : limit(ctx)) >> 10) + 1);
        if (!budgetKb.tryAcquire(kb)) {
            throw Problem.busy();
        }
        Map<String, Object> answer;
        try {
            byte[] body = readBody(ctx, limit(ctx), declared);
            byte[] image = isMultipart(ctx) ? part(ctx, body) : typed(contentType(ctx), body);
            try (PredictionGate.Admission admission = gate.admit()) {
                answer = admission.run(() -> {
                    long begun = System.nanoTime();
                    BufferedImage decoded = decode(image);
                    Prediction p = detector.predict("upload", decoded, heatmap);
                    Map<String, Object> out = p.fields();
                    if (heatmap) {
                        out.put("heatmap", "data:image/png;base64,"
                                + Base64.getEncoder().encodeToString(HeatmapImage.png(decoded, p)));
                    }
                    Map<String, Object> timing = new LinkedHashMap<>();
                    long end = System.nanoTime();
                    timing.put("modelMs", millis(end - begun));
                    timing.put("totalMs", millis(end - start));
                    out.put("timing", timing);
                    return out;
                });
            }
        } finally {
            budgetKb.release(kb);
        }
        PneumoServer.json(ctx, 200, answer);
    }

    private BufferedImage decode(byte[] image) {
        try {
            return detector.read(image);
        } catch (IOException | DataException | IllegalArgumentException e) {
            throw Problem.badRequest("The upload could not be read as an image: " + e.getMessage() + ".");
        }
    }

    /**
     * The whole request body, at most {@code limit} bytes, arriving within the deadline and at the minimum rate; a
     * body the client aborts or garbles (bad chunking, unknown transfer coding) is a 400.
     */
    private byte[] readBody(Context ctx, long limit, long declared) {
        long begun = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream(
                (int) Math.min(limit + 1, declared >= 0 ? declared : 64 * 1024));
        byte[] buf = new byte[64 * 1024];
        try {
            InputStream in = ctx.req().getInputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > limit) {
                    throw Problem.tooLarge(maxUploadBytes);
                }
                if (declared >= 0 && out.size() >= declared) {
                    break; // all there: however long it took, it is complete
                }
                long ms = (System.nanoTime() - begun) / 1_000_000;
                if (ms > READ_DEADLINE_MS
                        || ms > RATE_GRACE_MS && out.size() * 1000L / ms < MIN_BYTES_PER_SECOND) {
                    LOG.warn("upload refused: {} bytes in {} ms, too slow", out.size(), ms);
                    throw new Problem(408, "Request timeout", "The upload arrived too slowly: at least "
                            + MIN_BYTES_PER_SECOND / 1024 + " KB/s and " + READ_DEADLINE_MS / 1000
                            + " s in all are needed.");
                }
            }
        } catch (Problem e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String why = clientFault(e);
            LOG.warn("upload refused: {}", why != null ? why : e.toString());
            throw Problem.badRequest("The request body could not be read: "
                    + (why != null ? why : "aborted or malformed transfer") + ".");
        }
        return out.toByteArray();
    }

    /**
     * A short reason when {@code e} (or a cause) says the client broke the exchange: an aborted connection, a
     * malformed body or transfer coding. Null for anything else (a server fault).
     */
    static String clientFault(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jetty.http.HttpException
                    || t instanceof org.eclipse.jetty.io.EofException
                    || t instanceof java.nio.channels.ClosedChannelException
                    || t instanceof java.io.EOFException
                    || t instanceof java.util.concurrent.TimeoutException) {
                String m = t.getMessage();
                return (m == null || m.isBlank() ? "aborted or malformed transfer" : m)
                        .replaceAll("[^\\x20-\\x7e]", "?");
            }
        }
        return null;
    }

    /** The raw Content-Type header (parsing it through the servlet API fails on an unknown charset). */
    private static String contentType(Context ctx) {
        return ctx.header("Content-Type");
    }

    private byte[] typed(String type, byte[] body) {
        ImageType declared = declared(type);
        if (declared == null && !isUntyped(type)) {
            throw Problem.unsupportedType(type);
        }
        if (body.length > maxUploadBytes) {
            throw Problem.tooLarge(maxUploadBytes);
        }
        return checkType(declared, body, type);
    }

    /** The "image" field of a multipart/form-data body already in memory, parsed by Jetty's parser. */
    private byte[] part(Context ctx, byte[] body) {
        String boundary = org.eclipse.jetty.http.MultiPart.extractBoundary(contentType(ctx));
        if (boundary == null || boundary.isEmpty()) {
            throw Problem.badRequest("The multipart body has no boundary.");
        }
        org.eclipse.jetty.http.MultiPartFormData.Parser parser =
                new org.eclipse.jetty.http.MultiPartFormData.Parser(boundary);
        parser.setMaxFileSize(maxUploadBytes);
        parser.setMaxMemoryFileSize(maxUploadBytes + 1);
        parser.setMaxLength(maxUploadBytes + MULTIPART_OVERHEAD);
        parser.setMaxParts(16);
        java.util.concurrent.CompletableFuture<org.eclipse.jetty.http.MultiPartFormData.Parts> parsed =
                new java.util.concurrent.CompletableFuture<>();
        parser.parse(org.eclipse.jetty.io.Content.Source.from(java.nio.ByteBuffer.wrap(body)),
                org.eclipse.jetty.util.Promise.Invocable.toPromise(parsed));
        try (org.eclipse.jetty.http.MultiPartFormData.Parts parts =
                parsed.get(10, java.util.concurrent.TimeUnit.SECONDS)) {
            org.eclipse.jetty.http.MultiPart.Part file = parts.getFirst("image");
            if (file == null) {
                throw Problem.badRequest("The multipart form has no file field named 'image'.");
            }
            if (file.getLength() > maxUploadBytes) {
                throw Problem.tooLarge(maxUploadBytes);
            }
            String type = file.getHeaders().get(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE);
            java.nio.ByteBuffer content = org.eclipse.jetty.io.Content.Source.asByteBuffer(file.getContentSource());
            byte[] bytes = new byte[content.remaining()];
            content.get(bytes);
            return typed(type, bytes);
        } catch (Problem e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Problem.badRequest("The multipart body could not be parsed.");
        } catch (Exception e) {
            // Jetty refuses a part or request over the multipart limits while parsing ("max file size exceeded").
            for (Throwable t = e; t != null; t = t.getCause()) {
                String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                if (m.contains("size exceeded") || m.contains("max length exceeded")) {
                    throw Problem.tooLarge(maxUploadBytes);
                }
            }
            throw Problem.badRequest("The multipart body could not be parsed.");
        }
    }

    /**
     * An untyped upload is taken when its bytes say JPEG, PNG or DICOM; a typed one goes to the decoder, which decides
     * by its bytes.
     */
    private static byte[] checkType(ImageType declared, byte[] bytes, String type) {
        if (bytes.length == 0) {
            throw Problem.badRequest("The upload is empty.");
        }
        // The decoder decides by the bytes in every case; an untyped body must at least look like an image.
        if (declared == null && org.pneumo.data.ImageFormat.sniff(bytes) == null) {
            throw Problem.unsupportedType(type);
        }
        return bytes;
    }

    static ImageType declared(String contentType) {
        if (contentType == null) {
            return null;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "image/jpeg", "image/jpg", "image/pjpeg" -> ImageType.JPEG;
            case "image/png" -> ImageType.PNG;
            case "application/dicom" -> ImageType.DICOM;
            default -> null;
        };
    }

    private static boolean isUntyped(String contentType) {
        return contentType == null || contentType.isBlank()
                || contentType.toLowerCase(Locale.ROOT).startsWith("application/octet-stream");
    }

    private static boolean isMultipart(Context ctx) {
        String type = contentType(ctx);
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}
