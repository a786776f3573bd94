package org.pneumo.cli;

import picocli.CommandLine.Option;

/** The batch size of the commands that score many files (a picocli mixin). */
final class BatchOptions {
    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32",
            description = "Images per batch. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    /** Refuses a batch size under 1, naming the option. */
    void check() {
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size " + batchSize + " must be at least 1");
        }
    }
}
