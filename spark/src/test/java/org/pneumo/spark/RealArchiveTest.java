package org.pneumo.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.ImageFolder;
import org.pneumo.infer.Detector;
import org.pneumo.infer.PredictionResult;

/**
 * The shipped model on the 5,216 images of the official training split (Kermany et al. 2018, see the data README),
 * scored by the Spark job in local[2] and by {@link Detector#predictFiles} (what {@code pneumo predict} runs): no label
 * may differ. Runs only with {@code -Dpneumo.data}; fails loudly when that folder is missing.
 */
@org.junit.jupiter.api.Tag("slow")
class RealArchiveTest {
    @TempDir
    Path dir;

    @Test
    void trainingSplitGetsTheLabelsOfPredict() throws Exception {
        String property = System.getProperty("pneumo.data", "");
        Assumptions.assumeFalse(property.isBlank(), "pneumo.data is not set; real-data tests skipped");
        Path root = Path.of(System.getProperty("pneumo.root", ".")).normalize();
        Path train = root.resolve(property).normalize().resolve("chest_xray/train");
        if (!Files.isDirectory(train)) {
            fail("pneumo.data is set but " + train.toAbsolutePath() + " is not there");
        }
        Path model = root.resolve("core/src/main/resources/pneumo-model");
        List<Path> files;
        try (Stream<Path> s = Files.walk(train)) {
            files = s.filter(Files::isRegularFile).filter(ImageFolder::isImageName).sorted().toList();
        }
        assertThat(files).hasSize(5216);

        Path out = dir.resolve("scores");
        SparkSession spark = SparkSession.builder().master("local[2]").appName("RealArchiveTest")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.cleaner.referenceTracking", "false")
                .getOrCreate();
        Map<Path, Row> rows = new HashMap<>();
        try {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            int exit = ScoreJob.run(spark, new String[] {"--input", train.toString(), "--output", out.toString(),
                "--model", model.toString()}, new PrintStream(log, true, StandardCharsets.UTF_8));
            assertThat(exit).as(log.toString(StandardCharsets.UTF_8)).isEqualTo(ScoreJob.EXIT_OK);
            for (Row r : ScoreJob.read(spark, out.toString(), "parquet").collectAsList()) {
                rows.put(Path.of(new org.apache.hadoop.fs.Path(r.getString(0)).toUri()), r);
            }
        } finally {
            spark.stop();
        }
        assertThat(rows).hasSize(files.size());

        int labelDifferences = 0;
        double largest = 0;
        try (Detector detector = Detector.load(model)) {
            for (PredictionResult p : detector.predictFiles(files, 32, false, n -> {})) {
                Row r = rows.get(Path.of(p.source()));
                assertThat(r).as(p.source()).isNotNull();
                assertThat(p.failed()).isFalse();
                if (!p.prediction().label().name().equals(r.getAs("label"))) {
                    labelDifferences++;
                }
                largest = Math.max(largest, Math.abs(p.prediction().probability() - (double) r.getAs("probability")));
            }
        }
        assertThat(labelDifferences).isZero();
        assertThat(largest).isCloseTo(0, within(1e-6));
    }
}
