package org.pneumo.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The options of {@link ScoreJob}, validated. Parsed by hand: the module must not bring a command-line library onto a
 * cluster's class path, and Spark carries none that is meant for applications.
 *
 * @param inputs folders or files to score (any Hadoop URI), searched recursively
 * @param output where the result table goes
 * @param model the model folder's URI
 * @param threshold the operating threshold, or NaN for the model's own
 * @param format {@code parquet} or {@code csv}
 * @param batchSize images per forward pass
 * @param outputFiles number of output files, or 0 for one per scoring task
 * @param overwrite replace an existing output
 */
record ScoreOptions(List<String> inputs, String output, String model, double threshold, String format,
        int batchSize, int outputFiles, boolean overwrite) {

    static final String USAGE = String.join("\n",
            "Usage: spark-submit --class org.pneumo.spark.ScoreJob pneumo-spark.jar --input URI[,URI...] --output URI",
            "           --model URI [--threshold T] [--format parquet|csv] [--batch-size 32] [--output-files N]",
            "           [--overwrite]",
            "Scores every .jpeg, .jpg, .png and .dcm file (any letter case) under the inputs, recursively: one row per",
            "file with path, label, probability, threshold, model_id and error.",
            "  --input URI[,URI...]  folders or files to score (local paths, hdfs://, s3a://); may be repeated",
            "  --output URI          output folder; must not exist unless --overwrite",
            "  --model URI           model folder written by pneumo train (model.json, weights.params)",
            "  --threshold T         operating threshold on P(pneumonia) in [0, 1]. Default: the model's own",
            "  --format F            parquet or csv (with a header). Default: parquet",
            "  --batch-size N        images per forward pass on an executor. Default: 32",
            "  --output-files N      write N output files. Default: one per scoring task",
            "  --overwrite           replace an existing output",
            "Exit codes: 0 all files scored, 2 bad options, 3 some files could not be read (rows with an error).");

    ScoreOptions {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("--input is required");
        }
        if (output == null || output.isBlank()) {
            throw new IllegalArgumentException("--output is required");
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("--model is required (the shipped model is not yet available here)");
        }
        if (!Double.isNaN(threshold) && !(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("--threshold " + threshold + " is outside [0, 1]");
        }
        if (!format.equals("parquet") && !format.equals("csv")) {
            throw new IllegalArgumentException("--format must be parquet or csv, got " + format);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size " + batchSize + " must be at least 1");
        }
        if (outputFiles < 0) {
            throw new IllegalArgumentException("--output-files " + outputFiles + " must be at least 1");
        }
    }

    /** Parses the command line; {@code --help} gives null. */
    static ScoreOptions parse(String... args) {
        List<String> inputs = new ArrayList<>();
        String output = null;
        String model = null;
        double threshold = Double.NaN;
        String format = "parquet";
        int batchSize = 32;
        int outputFiles = 0;
        boolean overwrite = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--overwrite" -> {
                    if (value != null) {
                        throw new IllegalArgumentException("--overwrite takes no value");
                    }
                    overwrite = true;
                }
                case "--input", "--output", "--model", "--threshold", "--format", "--batch-size", "--output-files" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "--input" -> {
                            for (String part : value.split(",")) {
                                if (!part.isBlank()) {
                                    inputs.add(part.strip());
                                }
                            }
                        }
                        case "--output" -> output = value;
                        case "--model" -> model = value;
                        case "--threshold" -> threshold = number(name, value);
                        case "--format" -> format = value.toLowerCase(Locale.ROOT);
                        case "--batch-size" -> batchSize = integer(name, value);
                        default -> outputFiles = positive(name, integer(name, value));
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return new ScoreOptions(inputs, output, model, threshold, format, batchSize, outputFiles, overwrite);
    }

    private static double number(String name, String value) {
        try {
            double d = Double.parseDouble(value);
            if (Double.isNaN(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got " + value);
        }
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got " + value);
        }
    }

    private static int positive(String name, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(name + " " + n + " must be at least 1");
        }
        return n;
    }
}
