package org.pneumo.server;

import java.util.Objects;

/**
 * How to serve: where to listen, who may call, how big an upload may be and how much work to accept.
 *
 * @param host address to bind (127.0.0.1 keeps the server on this machine)
 * @param port TCP port, 0 for any free one
 * @param token bearer token required by the prediction API, or null for none
 * @param maxUploadBytes largest accepted image, in bytes
 * @param workers predictions run at once
 * @param queue further requests allowed to wait; more get HTTP 503
 */
public record ServerSettings(String host, int port, String token, long maxUploadBytes, int workers, int queue) {
    public ServerSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is outside [0, 65535]");
        }
        if (token != null && (token.isBlank() || token.length() < 8)) {
            throw new IllegalArgumentException("token must have at least 8 characters");
        }
        if (maxUploadBytes < 1024 || maxUploadBytes > 1024L * 1024 * 1024) {
            throw new IllegalArgumentException("upload limit " + maxUploadBytes + " bytes is outside [1 KB, 1 GB]");
        }
        if (workers < 1 || workers > 256) {
            throw new IllegalArgumentException("workers " + workers + " is outside [1, 256]");
        }
        if (queue < 0 || queue > 10_000) {
            throw new IllegalArgumentException("queue " + queue + " is outside [0, 10000]");
        }
    }
}
