package org.pneumo.cli;

import picocli.CommandLine.Option;

/** The batch size of the commands that score many files (a picocli mixin). */
final class BatchOptions {
    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32",
            description = "Images per batch. Default: ${DEFAULT-VALUE}.")
    int batchSize;
}
