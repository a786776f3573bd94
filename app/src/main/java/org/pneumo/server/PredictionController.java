package org.pneumo.server;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.awt.image.BufferedImage;
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
 * Handles {@code POST /api/v1/predictions}: reads one uploaded image into memory (never to disk), checks its size and
 * type, runs the shared detector through the {@link PredictionGate}, and answers label, probability, threshold, model
 * and timing, with the Grad-CAM overlay as a PNG data URL when {@code ?heatmap=true}.
 */
public final class PredictionController {
    /** Room for multipart boundaries and part headers on top of the image itself. */
    static final long MULTIPART_OVERHEAD = 64 * 1024;

    private final Detector detector;
    private final PredictionGate gate;
    private final long maxUploadBytes;

    public PredictionController(Detector detector, PredictionGate gate, long maxUploadBytes) {
        this.detector = detector;
        this.gate = gate;
        this.maxUploadBytes = maxUploadBytes;
    }

    /** The kinds of image the API takes. */
    enum ImageType { JPEG, PNG, DICOM }

    /** Refuses a declared body larger than the limit before any of it is read. */
    void checkDeclaredLength(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length > maxUploadBytes + (isMultipart(ctx) ? MULTIPART_OVERHEAD : 0)) {
            throw Problem.tooLarge(maxUploadBytes);
        }
    }

    void predict(Context ctx) throws Exception {
        long start = System.nanoTime();
        boolean heatmap = flag(ctx.queryParam("heatmap"));
        Map<String, Object> answer;
        try (PredictionGate.Admission admission = gate.admit()) {
            byte[] image = isMultipart(ctx) ? readPart(ctx) : readBody(ctx);
            answer = admission.run(() -> {
                long begun = System.nanoTime();
                BufferedImage decoded = decode(image);
                Prediction p = detector.predict("upload", decoded, heatmap);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("label", p.label().name());
                out.put("probability", p.probability());
                out.put("threshold", p.threshold());
                out.put("modelId", p.modelId());
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
        PneumoServer.json(ctx, 200, answer);
    }

    private BufferedImage decode(byte[] image) {
        try {
            return detector.read(image);
        } catch (IOException | DataException | IllegalArgumentException e) {
            throw Problem.badRequest("The upload could not be read as an image: " + e.getMessage() + ".");
        }
    }

    private byte[] readBody(Context ctx) throws IOException {
        String type = ctx.contentType();
        ImageType declared = declared(type);
        if (declared == null && !isUntyped(type)) {
            throw Problem.unsupportedType(type);
        }
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxUploadBytes + 1));
        }
        if (body.length > maxUploadBytes) {
            throw Problem.tooLarge(maxUploadBytes);
        }
        return checkType(declared, body, type);
    }

    private byte[] readPart(Context ctx) {
        UploadedFile file;
        try {
            file = ctx.uploadedFile("image");
        } catch (Exception e) {
            // Jetty refuses a part or request over the multipart limits while parsing ("max file size exceeded").
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("size exceeded")) {
                    throw Problem.tooLarge(maxUploadBytes);
                }
            }
            throw Problem.badRequest("The multipart body could not be parsed.");
        }
        if (file == null) {
            throw Problem.badRequest("The multipart form has no file field named 'image'.");
        }
        if (file.size() > maxUploadBytes) {
            throw Problem.tooLarge(maxUploadBytes);
        }
        ImageType declared = declared(file.contentType());
        if (declared == null && !isUntyped(file.contentType())) {
            throw Problem.unsupportedType(file.contentType());
        }
        byte[] bytes = file.contentAndClose(in -> {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return checkType(declared, bytes, file.contentType());
    }

    /** An untyped upload is taken when its bytes say JPEG, PNG or DICOM; a typed one is decoded as sent. */
    private static byte[] checkType(ImageType declared, byte[] bytes, String type) {
        if (bytes.length == 0) {
            throw Problem.badRequest("The upload is empty.");
        }
        if (declared == null && sniff(bytes) == null) {
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

    static ImageType sniff(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return ImageType.JPEG;
        }
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return ImageType.PNG;
        }
        if (b.length >= 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M') {
            return ImageType.DICOM;
        }
        return null;
    }

    private static boolean isMultipart(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    private static boolean flag(String value) {
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.isEmpty() || value.equalsIgnoreCase("true")) {
            return true;
        }
        throw Problem.badRequest("Query parameter heatmap must be true or false, not '" + value + "'.");
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}
