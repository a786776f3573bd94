package org.pneumo.model;

import java.io.IOException;

/** A model folder that cannot be used: missing files, another format version, or weights that do not fit. */
public class ModelLoadException extends IOException {
    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
