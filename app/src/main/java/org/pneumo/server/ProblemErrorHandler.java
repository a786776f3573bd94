package org.pneumo.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a bad URI, 414, 431, 505, a bad Content-Length, a missing Host, a bad chunk...) written
 * as problem+json with the server's security headers, like every other error, instead of Jetty's HTML page.
 */
final class ProblemErrorHandler extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Object code = request.getAttribute(ERROR_STATUS);
        int status = code instanceof Integer i ? i : response.getStatus();
        if (status < 400 || status > 599) {
            status = 500;
        }
        Object message = request.getAttribute(ERROR_MESSAGE);
        response.setStatus(status);
        HttpFields.Mutable headers = response.getHeaders();
        write(headers, status);
        response.write(true, ByteBuffer.wrap(body(status, message, request.getHttpURI().getPath())), callback);
        return true;
    }

    /**
     * Answers for requests so broken that no request object exists (the header could not be parsed: 414, 431, 505).
     * Deprecated in Jetty 12.1 but still what it calls for them; ServerInputTest fails if that changes.
     */
    @Override
    @SuppressWarnings("removal")
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        write(fields, status);
        return ByteBuffer.wrap(body(status, reason, null));
    }

    private static void write(HttpFields.Mutable headers, int status) {
        headers.put(HttpHeader.CONTENT_TYPE, PneumoServer.PROBLEM_JSON);
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        for (Map.Entry<String, String> h : PneumoServer.SECURITY_HEADERS.entrySet()) {
            headers.put(h.getKey(), h.getValue());
        }
    }

    private static byte[] body(int status, Object reason, String path) {
        String title = HttpStatus.getMessage(status);
        String detail = switch (status) {
            case 400 -> "The request is malformed (" + clean(reason, "bad request") + ").";
            case 414 -> "The request's URI is too long.";
            case 431 -> "The request's header fields are too large.";
            case 505 -> "This server speaks HTTP/1.0 and HTTP/1.1 only.";
            default -> "The request could not be handled (" + clean(reason, title) + ").";
        };
        Problem p = new Problem(status, title, detail);
        return PneumoServer.GSON.toJson(p.body(path == null ? null : clean(path, "/")))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A short, printable version of Jetty's reason: no HTML, no control characters. */
    private static String clean(Object reason, String fallback) {
        String s = reason == null ? fallback : reason.toString();
        s = s.replaceAll("[^\\x20-\\x7e]", "?");
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
