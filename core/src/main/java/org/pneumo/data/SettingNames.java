package org.pneumo.data;

import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Messages that name settings. Core code names a setting as the library knows it ({@code {valFraction}} in a
 * template); whoever shows the message decides how the user knows it: the library's own name by default, the
 * command line's flag ({@code --val-fraction}) in the CLI.
 */
public final class SettingNames {
    private static final Pattern NAME = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

    private SettingNames() {}

    /** A message that names settings and can be rendered with other names for them. */
    public interface Named {
        /** The message with each setting called what {@code name} says (the library's name by default). */
        String message(UnaryOperator<String> name);
    }

    /**
     * Renders {@code template}: each {@code {setting}} becomes {@code name.apply(setting)}, then each {@code %s} the
     * next argument (so values such as paths are never read as setting names).
     */
    public static String render(String template, UnaryOperator<String> name, Object... args) {
        Matcher m = NAME.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(name.apply(m.group(1)).replace("%", "%%")));
        }
        m.appendTail(sb);
        return String.format(Locale.ROOT, sb.toString(), args);
    }
}
