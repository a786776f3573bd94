package org.pneumo.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.ToNumberPolicy;

/**
 * The one JSON configuration: characters as they are (no HTML escaping), NaN and infinities written as such,
 * numbers read back as longs when integral and doubles otherwise. Files people read are pretty-printed and keep null
 * fields; the HTTP API is compact and leaves them out.
 */
public final class Json {
    /** For files: {@code model.json}, checkpoint state, {@code metrics.json}, {@code predict --out x.json}. */
    public static final Gson FILES = base().setPrettyPrinting().serializeNulls().create();

    /** For the HTTP API's bodies. */
    public static final Gson API = base().create();

    private Json() {}

    private static GsonBuilder base() {
        return new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues()
                .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE);
    }
}
