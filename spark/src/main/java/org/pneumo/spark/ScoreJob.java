package org.pneumo.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.pneumo.model.ModelLoadException;

/**
 * Scores every X-ray image under some folders on Apache Spark and writes one row per file: {@code path},
 * {@code label}, {@code probability}, {@code threshold}, {@code model_id}, {@code error}.
 *
 * <p>Images are read with Spark's {@code binaryFile} source; each partition is scored in batches by the one model its
 * executor JVM holds ({@link ExecutorDetector}), which reaches executors as a broadcast of the model folder's bytes.
 * The result goes through Spark's DataFrame writer, whose commit protocol keeps only one attempt of each task, so
 * retried and speculative tasks never duplicate rows.
 */
public final class ScoreJob {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_BAD_OPTIONS = 2;
    public static final int EXIT_SOME_FAILED = 3;

    private ScoreJob() {}

    public static void main(String[] args) {
        int code;
        ScoreOptions options;
        try {
            options = ScoreOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(ScoreOptions.USAGE);
            System.exit(EXIT_BAD_OPTIONS);
            return;
        }
        if (options == null) {
            System.out.println(ScoreOptions.USAGE);
            System.exit(EXIT_OK);
            return;
        }
        SparkSession spark = SparkSession.builder().appName("pneumo-score").getOrCreate();
        try {
            code = run(spark, options, System.err);
        } finally {
            spark.stop();
        }
        System.exit(code);
    }

    /** Runs the job on a session the caller owns and returns the exit code; messages go to {@code log}. */
    public static int run(SparkSession spark, String[] args, PrintStream log) {
        ScoreOptions options;
        try {
            options = ScoreOptions.parse(args);
        } catch (IllegalArgumentException e) {
            log.println("error: " + e.getMessage());
            log.println(ScoreOptions.USAGE);
            return EXIT_BAD_OPTIONS;
        }
        if (options == null) {
            log.println(ScoreOptions.USAGE);
            return EXIT_OK;
        }
        return run(spark, options, log);
    }

    static int run(SparkSession spark, ScoreOptions options, PrintStream log) {
        try {
            ScoreSummary s = score(spark, options);
            log.printf(Locale.ROOT, "%d images: %d PNEUMONIA, %d NORMAL, %d could not be read (model %s, threshold"
                    + " %.4f); output in %s%n", s.rows(), s.pneumonia(), s.rows() - s.pneumonia() - s.errors(),
                    s.errors(), s.modelId(), s.threshold(), options.output());
            return s.errors() > 0 ? EXIT_SOME_FAILED : EXIT_OK;
        } catch (IllegalArgumentException | ModelLoadException | FileNotFoundException e) {
            log.println("error: " + e.getMessage());
            return EXIT_BAD_OPTIONS;
        } catch (IOException | RuntimeException e) {
            log.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return EXIT_FAILED;
        }
    }

    /** What a finished job wrote. */
    record ScoreSummary(long rows, long pneumonia, long errors, String modelId, double threshold) {}

    static ScoreSummary score(SparkSession spark, ScoreOptions o) throws IOException, ModelLoadException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path out = new Path(o.output());
        if (out.getFileSystem(conf).exists(out) && !o.overwrite()) {
            throw new IllegalArgumentException("output " + o.output() + " already exists; add --overwrite to replace it");
        }
        List<Row> empty = new ArrayList<>();
        List<String> emptyPaths = new ArrayList<>();
        for (String input : o.inputs()) {
            Path p = new Path(input);
            FileSystem fs = p.getFileSystem(conf);
            FileStatus[] found = fs.globStatus(p);
            if (found == null || found.length == 0) {
                throw new FileNotFoundException("input " + input + " does not exist");
            }
            for (FileStatus st : found) {
                collectEmpty(fs, st, emptyPaths);
            }
        }
        ModelBundle bundle = ModelBundle.read(o.model(), conf);
        double threshold = Double.isNaN(o.threshold()) ? bundle.threshold() : o.threshold();
        for (String path : emptyPaths) {
            // Spark's file sources skip zero-byte files; they are listed here so that each gets its row.
            empty.add(PartitionScorer.row(path, CoreAdapter.Score.failed(CoreAdapter.EMPTY_FILE), threshold,
                    bundle.modelId()));
        }
        Broadcast<ModelBundle> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(bundle);
        try {
            Dataset<Row> files = spark.read().format("binaryFile")
                    .option("recursiveFileLookup", "true")
                    .option("pathGlobFilter", imageGlob())
                    .load(o.inputs().toArray(String[]::new))
                    .where(functions.col("length").gt(0))
                    .select("path", "content");
            Dataset<Row> scored = files.mapPartitions(
                    new PartitionScorer(bundle.modelId(), shared, threshold, o.batchSize()),
                    Encoders.row(PartitionScorer.SCHEMA));
            if (!empty.isEmpty()) {
                scored = scored.union(spark.createDataFrame(empty, PartitionScorer.SCHEMA));
            }
            if (o.outputFiles() > 0) {
                scored = scored.repartition(o.outputFiles());
            }
            scored.write()
                    .mode(o.overwrite() ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
                    .format(o.format())
                    .option("header", "true")
                    .save(o.output());
        } finally {
            shared.destroy();
        }
        Dataset<Row> written = read(spark, o.output(), o.format());
        Row counts = written.agg(
                functions.count(functions.lit(1)),
                functions.count(functions.when(functions.col("label").equalTo("PNEUMONIA"), 1)),
                functions.count(functions.col("error"))).first();
        return new ScoreSummary(counts.getLong(0), counts.getLong(1), counts.getLong(2), bundle.modelId(), threshold);
    }

    /** Reads a job's output back. */
    static Dataset<Row> read(SparkSession spark, String output, String format) {
        return spark.read().format(format).option("header", "true").schema(PartitionScorer.SCHEMA).load(output);
    }

    /**
     * A glob on file names that matches pneumo's image extensions in any letter case ({@code *.{[jJ][pP][gG],...}}):
     * Hadoop's globs are case-sensitive, and filtering while listing keeps other files' bytes unread.
     */
    static String imageGlob() {
        List<String> alternatives = new ArrayList<>();
        for (String ext : CoreAdapter.imageExtensions().stream().sorted().toList()) {
            StringBuilder sb = new StringBuilder();
            for (char c : ext.toCharArray()) {
                char lower = Character.toLowerCase(c);
                char upper = Character.toUpperCase(c);
                sb.append(lower == upper ? String.valueOf(c) : "[" + lower + upper + "]");
            }
            alternatives.add(sb.toString());
        }
        return "*.{" + String.join(",", alternatives) + "}";
    }

    private static boolean isImageName(String name) {
        int dot = name.lastIndexOf('.');
        return dot >= 0 && CoreAdapter.imageExtensions().contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Spark's file index leaves out names starting with '_' or '.'; so does this listing. */
    private static boolean hidden(String name) {
        return name.startsWith("_") || name.startsWith(".");
    }

    private static void collectEmpty(FileSystem fs, FileStatus st, List<String> out) throws IOException {
        if (st.isDirectory()) {
            for (FileStatus child : fs.listStatus(st.getPath())) {
                if (!hidden(child.getPath().getName())) {
                    collectEmpty(fs, child, out);
                }
            }
        } else if (st.getLen() == 0 && isImageName(st.getPath().getName())) {
            out.add(st.getPath().toString());
        }
    }
}
