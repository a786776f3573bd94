package org.pneumo.data;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What to do with a file that is not a usable image: skip it with one warning line naming it (the default), or stop
 * the command ({@code --strict}). Collects what it skipped so the run summary can count it. Thread-safe.
 */
public final class BadFilePolicy {
    private final boolean strict;
    private final Consumer<String> warnings;
    private final List<SkippedFile> skipped = new ArrayList<>();

    public BadFilePolicy(boolean strict, Consumer<String> warnings) {
        this.strict = strict;
        this.warnings = warnings;
    }

    /** Lenient policy that prints warnings to standard error. */
    public static BadFilePolicy lenient() {
        return new BadFilePolicy(false, System.err::println);
    }

    public boolean strict() {
        return strict;
    }

    /** Records a bad file: a warning line, or a {@link DataException} under strict mode. */
    public synchronized void reject(SkippedFile file) {
        if (strict) {
            throw DataException.namingSettings("bad image %s ({strict})", file);
        }
        skipped.add(file);
        warnings.accept("warning: skipped " + file);
    }

    public synchronized List<SkippedFile> skipped() {
        return List.copyOf(skipped);
    }
}
