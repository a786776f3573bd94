package org.pneumo.data;

/**
 * A data folder that cannot be used as asked (missing, empty, unknown class folder, bad file under --strict). The
 * command line turns it into one line and exit code 2.
 */
public class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
