package org.pneumo.data;

import java.io.IOException;

/** A file that is not a usable image: empty, not an image, corrupt, unsupported, or too large to decode safely. */
public class ImageDecodeException extends IOException {
    private static final long serialVersionUID = 1L;

    public ImageDecodeException(String message) {
        super(message);
    }

    public ImageDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
