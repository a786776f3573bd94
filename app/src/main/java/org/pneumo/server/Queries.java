package org.pneumo.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reads query parameters from the raw query string, refusing malformed percent-encoding with a 400. */
final class Queries {
    private Queries() {}

    /** Refuses a query string whose percent-encoding is malformed (e.g. {@code %ZZ}). */
    static void check(String rawQuery) {
        if (rawQuery == null) {
            return;
        }
        for (String pair : rawQuery.split("&")) {
            decode(pair);
        }
    }

    /** The decoded value of the first parameter {@code name}, "" when it has no value, or null when absent. */
    static String value(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key.equals(name)) {
                return eq < 0 ? "" : decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    /** A boolean flag: absent or "false" is false, "" or "true" is true, anything else a 400. */
    static boolean flag(String rawQuery, String name) {
        String value = value(rawQuery, name);
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.isEmpty() || value.equalsIgnoreCase("true")) {
            return true;
        }
        String shown = value.length() > 20 ? value.substring(0, 20) + "..." : value;
        throw Problem.badRequest("Query parameter " + name + " must be true or false, not '"
                + shown.replaceAll("[^\\x20-\\x7e]", "?") + "'.");
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("The query string is malformed (bad percent-encoding in '"
                    + (s.length() > 20 ? s.substring(0, 20) + "..." : s).toLowerCase(Locale.ROOT)
                            .replaceAll("[^\\x20-\\x7e]", "?") + "').");
        }
    }
}
