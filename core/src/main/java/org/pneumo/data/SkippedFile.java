package org.pneumo.data;

import java.nio.file.Path;

/** A file that was left out of a data set, and why. */
public record SkippedFile(Path file, String reason) {
    @Override
    public String toString() {
        return file + ": " + reason;
    }
}
