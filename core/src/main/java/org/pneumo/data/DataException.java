package org.pneumo.data;

import java.util.function.UnaryOperator;

/**
 * A data folder that cannot be used as asked (missing, empty, unknown class folder, bad file in strict mode). The
 * command line turns it into one line and exit code 2.
 */
public class DataException extends RuntimeException implements SettingNames.Named {
    private static final long serialVersionUID = 1L;

    private final String template;
    private final transient Object[] args;

    public DataException(String message) {
        super(message);
        this.template = null;
        this.args = new Object[0];
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
        this.template = null;
        this.args = new Object[0];
    }

    private DataException(String template, Object[] args) {
        super(SettingNames.render(template, UnaryOperator.identity(), args));
        this.template = template;
        this.args = args.clone();
    }

    /** A data problem whose message names settings ({@code {setting}}) and values ({@code %s}). */
    public static DataException namingSettings(String template, Object... args) {
        return new DataException(template, args);
    }

    @Override
    public String message(UnaryOperator<String> name) {
        return template == null ? getMessage() : SettingNames.render(template, name, args);
    }
}
