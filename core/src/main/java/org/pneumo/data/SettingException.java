package org.pneumo.data;

import java.util.function.UnaryOperator;

/**
 * A setting with a value outside what it accepts, or settings that do not fit together. The message names each
 * setting as the library does ({@link SettingNames}); the command line shows its flags instead.
 */
public class SettingException extends IllegalArgumentException implements SettingNames.Named {
    private static final long serialVersionUID = 1L;

    private final String template;
    private final transient Object[] args;

    /**
     * @param template the message, with {@code {setting}} for each setting named and {@code %s} for each value
     * @param args the values
     */
    public SettingException(String template, Object... args) {
        super(SettingNames.render(template, UnaryOperator.identity(), args));
        this.template = template;
        this.args = args.clone();
    }

    @Override
    public String message(UnaryOperator<String> name) {
        return SettingNames.render(template, name, args);
    }
}
