package org.pneumo.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.DicomFiles;
import org.pneumo.data.SyntheticImages;
import org.pneumo.infer.Detector;
import org.pneumo.infer.PredictionResult;
import org.pneumo.train.TinyModel;

class ScoreJobTest {
    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path model;
    static Detector detector;

    @BeforeAll
    static void start() throws Exception {
        model = TinyModel.train(dir.resolve("tiny"), 20, 1);
        detector = Detector.load(model);
        spark = SparkSession.builder().master("local[2]").appName("ScoreJobTest")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.cleaner.referenceTracking", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        if (detector != null) {
            detector.close();
        }
    }

    /** The job's exit code and what it logged. */
    record Run(int exit, String log) {}

    static Run run(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int exit = ScoreJob.run(spark, args, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        return new Run(exit, buffer.toString(StandardCharsets.UTF_8));
    }

    static Path image(Path file, boolean blob, long seed, String format) {
        return SyntheticImages.write(SyntheticImages.noisy(40, blob, new Random(seed), null), file, format);
    }

    /** Rows of an output, by local file path. */
    static Map<Path, Row> rows(Path output, String format) {
        Map<Path, Row> byPath = new HashMap<>();
        for (Row r : ScoreJob.read(spark, output.toString(), format).collectAsList()) {
            Path p = Path.of(new org.apache.hadoop.fs.Path(r.getString(0)).toUri());
            assertThat(byPath.put(p, r)).as("second row for %s", p).isNull();
        }
        return byPath;
    }

    static Map<Path, PredictionResult> predictFiles(List<Path> files) throws java.io.IOException {
        Map<Path, PredictionResult> out = new HashMap<>();
        for (PredictionResult r : detector.predictFiles(files, 32, false, n -> {})) {
            out.put(Path.of(r.source()), r);
        }
        return out;
    }

    @Test
    void oneRowPerImageFileWithPredictsLabelsAndErrors() throws Exception {
        Path in = dir.resolve("mix");
        List<Path> images = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            images.add(image(in.resolve("batch/img" + i + ".png"), i % 2 == 0, 100 + i, "png"));
        }
        images.add(image(in.resolve("a.jpeg"), true, 1, "jpeg"));
        images.add(image(in.resolve("nested/deeper/b.png"), false, 2, "png"));
        images.add(image(in.resolve("UPPER.JPG"), true, 3, "jpeg"));
        int[] samples = new int[40 * 40];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (i * 7) % 256;
        }
        Path dicom = in.resolve("scan.dcm");
        Files.write(dicom, DicomFiles.gray(40, 40, 8, samples, "MONOCHROME2", 0, 0, DicomFiles.EXPLICIT_LITTLE_ENDIAN));
        images.add(dicom);
        Path truncated = in.resolve("truncated.jpeg");
        byte[] jpeg = Files.readAllBytes(image(dir.resolve("whole.jpeg"), true, 4, "jpeg"));
        Files.write(truncated, java.util.Arrays.copyOf(jpeg, 120));
        Path text = in.resolve("text.png");
        Files.writeString(text, "this is not an image");
        Path empty = in.resolve("nested/empty.jpeg");
        Files.write(empty, new byte[0]);
        Files.writeString(in.resolve("notes.txt"), "ignored");
        List<Path> all = new ArrayList<>(images);
        all.addAll(List.of(truncated, text, empty));

        Path out = dir.resolve("mix-out");
        Run r = run("--input", in.toString(), "--output", out.toString(), "--model", model.toString(),
                "--batch-size", "5");

        assertThat(r.exit()).as(r.log()).isEqualTo(ScoreJob.EXIT_SOME_FAILED);
        Map<Path, PredictionResult> expected = predictFiles(all);
        assertThat(expected.get(truncated).failed()).isTrue();
        assertThat(r.log()).contains(all.size() + " images").contains("3 could not be read");
        Map<Path, Row> rows = rows(out, "parquet");
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(all);
        for (Path file : all) {
            Row row = rows.get(file);
            PredictionResult want = expected.get(file);
            assertThat(row.getAs("model_id").toString()).isEqualTo(detector.info().modelId());
            assertThat((double) row.getAs("threshold")).isEqualTo(detector.threshold());
            if (want.failed()) {
                assertThat(row.getAs("error").toString()).as("error of %s", file).isEqualTo(want.error());
                assertThat(row.<Object>getAs("label")).isNull();
                assertThat(row.<Object>getAs("probability")).isNull();
            } else {
                assertThat(row.<Object>getAs("error")).as("error of %s", file).isNull();
                assertThat(row.getAs("label").toString()).as(file.toString())
                        .isEqualTo(want.prediction().label().name());
                assertThat((double) row.getAs("probability")).as(file.toString())
                        .isCloseTo(want.prediction().probability(), within(1e-6));
                // The out-of-scope guard's columns, as predict gives them.
                assertThat(row.<Boolean>getAs("in_scope")).as(file.toString())
                        .isEqualTo(want.prediction().scope().inScope());
                assertThat((double) row.getAs("typicality")).as(file.toString())
                        .isCloseTo(want.prediction().scope().typicality(), within(1e-3));
                // Present exactly when predict gives a note (its wording holds the percentile, which a distance
                // differing in the last digits could move by one validation image).
                assertThat(row.<String>getAs("scope_note") == null).as(file.toString())
                        .isEqualTo(want.prediction().scope().note() == null);
            }
        }
        assertThat(rows.get(empty).getAs("error").toString()).isEqualTo("empty file");
    }

    @Test
    void existingOutputIsRefusedWithoutOverwriteAndReplacedWithIt() throws Exception {
        Path in = dir.resolve("ok");
        for (int i = 0; i < 6; i++) {
            image(in.resolve("x" + i + ".jpeg"), i % 3 == 0, 200 + i, "jpeg");
        }
        Path out = dir.resolve("ok-out");
        String[] args = {"--input", in.toString(), "--output", out.toString(), "--model", model.toString(),
            "--format", "csv", "--output-files", "1"};
        Run first = run(args);
        assertThat(first.exit()).as(first.log()).isEqualTo(ScoreJob.EXIT_OK);
        Map<Path, Row> before = rows(out, "csv");
        assertThat(before).hasSize(6);
        try (var s = Files.list(out)) {
            assertThat(s.filter(p -> p.getFileName().toString().endsWith(".csv"))).hasSize(1);
        }

        Run refused = run(args);
        assertThat(refused.exit()).isEqualTo(ScoreJob.EXIT_BAD_OPTIONS);
        assertThat(refused.log()).contains("already exists").contains("--overwrite");
        assertThat(rows(out, "csv")).isEqualTo(before);

        List<String> again = new ArrayList<>(List.of(args));
        again.add("--overwrite");
        Run replaced = run(again.toArray(String[]::new));
        assertThat(replaced.exit()).as(replaced.log()).isEqualTo(ScoreJob.EXIT_OK);
        assertThat(rows(out, "csv")).isEqualTo(before);
    }

    @Test
    void oneModelLoadPerJvmAndPyTorchThreadsFromTheTask() throws Exception {
        Path in = dir.resolve("many");
        for (int i = 0; i < 12; i++) {
            image(in.resolve("m" + i + ".png"), i % 2 == 1, 300 + i, "png");
        }
        String old = spark.conf().get("spark.sql.files.maxPartitionBytes");
        spark.conf().set("spark.sql.files.maxPartitionBytes", "4k");
        try {
            for (int k = 0; k < 2; k++) {
                Run r = run("--input", in.toString(), "--output", dir.resolve("many-out" + k).toString(),
                        "--model", model.toString());
                assertThat(r.exit()).as(r.log()).isEqualTo(ScoreJob.EXIT_OK);
            }
        } finally {
            spark.conf().set("spark.sql.files.maxPartitionBytes", old);
        }
        // 12 one-file partitions per job, two tasks at a time, two jobs (and the other tests' jobs): one load.
        assertThat(ExecutorDetector.loads()).isEqualTo(1);
        // PyTorch's intra-op setting is global but each thread takes it up on its first use, so look from a thread
        // that has not run PyTorch yet (this test's own thread trained the model with the default).
        int[] threads = new int[1];
        Thread fresh = new Thread(() -> threads[0] = JniUtils.getNumThreads());
        fresh.start();
        fresh.join();
        assertThat(threads[0]).as("intra-op threads = spark.task.cpus").isEqualTo(1);
    }

    @Test
    void badOptionsExitWithTwo() {
        assertThat(run("--output", "x", "--model", "m").exit()).isEqualTo(ScoreJob.EXIT_BAD_OPTIONS);
        assertThat(run("--input", "x", "--output", "y", "--model", "m", "--batch-size", "0").log())
                .contains("--batch-size 0 must be at least 1");
        assertThat(run("--input", "x", "--output", "y", "--model", "m", "--format", "json").log())
                .contains("--format must be parquet or csv, got json");
        assertThat(run("--input", "x", "--output", "y", "--model", "m", "--threshold", "1.5").exit())
                .isEqualTo(ScoreJob.EXIT_BAD_OPTIONS);
        assertThat(run("--input", "x", "--output", "y", "--frobnicate").log()).contains("unknown option --frobnicate");
        Run missing = run("--input", dir.resolve("nowhere").toString(), "--output", dir.resolve("o").toString(),
                "--model", model.toString());
        assertThat(missing.exit()).isEqualTo(ScoreJob.EXIT_BAD_OPTIONS);
        assertThat(missing.log()).contains("does not exist");
        Run noModel = run("--input", dir.toString(), "--output", dir.resolve("o2").toString(),
                "--model", dir.resolve("no-model").toString());
        assertThat(noModel.exit()).isEqualTo(ScoreJob.EXIT_BAD_OPTIONS);
        assertThat(noModel.log()).contains("no-model");
    }

    @Test
    void globMatchesImageExtensionsInAnyCase() {
        assertThat(ScoreJob.imageGlob()).isEqualTo("*.{[dD][cC][mM],[jJ][pP][eE][gG],[jJ][pP][gG],[pP][nN][gG]}");
        org.apache.hadoop.fs.GlobFilter filter;
        try {
            filter = new org.apache.hadoop.fs.GlobFilter(ScoreJob.imageGlob());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        for (String name : List.of("a.jpeg", "b.JPG", "c.Png", "d.dcm", "e.JpEg")) {
            assertThat(filter.accept(new org.apache.hadoop.fs.Path("/x/" + name))).as(name).isTrue();
        }
        for (String name : List.of("a.txt", "b.jpg.txt", "c", "dcm")) {
            assertThat(filter.accept(new org.apache.hadoop.fs.Path("/x/" + name))).as(name).isFalse();
        }
    }
}
