package org.pneumo.server;

/**
 * An HTTP error as RFC 9457 problem details: thrown by handlers, written by the server as
 * {@code application/problem+json}. The detail is one sentence for a person and never contains image content.
 */
public final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String title;

    public Problem(int status, String title, String detail) {
        super(detail, null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status " + status + " is not an error status");
        }
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    /** The JSON body: {@code type} is about:blank, so {@code title} is the status's usual phrase. */
    public Body body(String instance) {
        return new Body("about:blank", title, status, detail(), instance);
    }

    /** The problem+json document. */
    public record Body(String type, String title, int status, String detail, String instance) {}

    static Problem badRequest(String detail) {
        return new Problem(400, "Bad request", detail);
    }

    static Problem unauthorized(String detail) {
        return new Problem(401, "Unauthorized", detail);
    }

    static Problem tooLarge(long limitBytes) {
        return new Problem(413, "Content too large",
                "The upload is larger than this server's limit of " + limitBytes / (1024 * 1024) + " MB.");
    }

    static Problem unsupportedType(String type) {
        return new Problem(415, "Unsupported media type", "Unsupported media type"
                + (type == null || type.isBlank() ? "" : " '" + type + "'")
                + ": send a JPEG, PNG or DICOM image.");
    }

    static Problem busy() {
        return new Problem(503, "Service unavailable", "The server is busy with other images; try again shortly.");
    }
}
