package org.pneumo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.InputSpec;
import org.pneumo.model.Architecture;

/**
 * Trains one tiny epoch on the real fixture images named by the system property {@code pneumo.data} (set by .ci/run
 * to ../shared/data). Skipped when the property is empty; fails loudly when it names a folder that is not there.
 */
class RealDataSmokeTest {
    @TempDir
    Path dir;

    static Path realData() {
        String property = System.getProperty("pneumo.data", "");
        Assumptions.assumeFalse(property.isBlank(), "pneumo.data is not set; real-data tests skipped");
        Path root = Path.of(System.getProperty("pneumo.root", ".")).resolve(property).normalize();
        if (!Files.isDirectory(root.resolve("fixtures"))) {
            fail("pneumo.data is set to " + root.toAbsolutePath() + " but it has no fixtures/ folder");
        }
        return root;
    }

    @Test
    @Tag("slow") // trains on real images
    void trainsOneTinyEpochOnRealFixtures() throws Exception {
        Path fixtures = realData().resolve("fixtures/small224");
        TrainingSettings s = TrainingSettings.builder()
                .setData(fixtures)
                .setOut(dir.resolve("m"))
                .setCacheDir(dir.resolve("cache"))
                .optArchitecture(Architecture.CNN_LSTM)
                .optInput(new InputSpec(32, 1))
                .optEpochs(1)
                .optBatchSize(8)
                .optLearningRate(1e-3f)
                .optWeightDecay(1e-4f)
                .optValFraction(0.25)
                .optSeed(42)
                .optStrict(true)
                .build();
        TrainingOutcome o = new TrainingLoop(s, TrainingProgress.SILENT).run(false, false);
        assertThat(o.trainImages() + o.validationImages()).isEqualTo(24);
        assertThat(o.skippedFiles()).isZero();
        assertThat(dir.resolve("m/model.json")).exists();
        assertThat(dir.resolve("m/weights.params")).exists();
    }

    @Test
    void decodesFullResolutionOriginals() throws Exception {
        Path fullres = realData().resolve("fixtures/fullres");
        var images = org.pneumo.data.ImageFolder.list(fullres, true, org.pneumo.data.BadFilePolicy.lenient());
        assertThat(images).hasSize(8);
        var decoder = new org.pneumo.data.ImageDecoder(new InputSpec(224, 1));
        for (var image : images) {
            byte[] pixels = decoder.decode(image.file());
            long sum = 0;
            for (byte b : pixels) {
                sum += b & 0xff;
            }
            // Real chest X-rays are neither black nor washed out (a colour-space bug would push gray up to ~170+).
            assertThat(sum / (double) pixels.length).as(image.file().toString()).isBetween(40.0, 170.0);
        }
    }

    @Test
    void decodedOriginalsLookLikeTheirOwnTrainingCopies() throws Exception {
        // Each fixture original is a training image whose 224-pixel Kaggle copy is in chest_xray/train. Decoded, the
        // two must be close: measured mean absolute difference 2.31 gray levels with area averaging, 2.06 with the
        // tent filter, 1.86 with the tent filter and the JPEG round trip at the copies' quality.
        Path root = realData();
        var decoder = new org.pneumo.data.ImageDecoder(new InputSpec(224, 1));
        var originals = org.pneumo.data.ImageFolder.list(root.resolve("fixtures/fullres"), true,
                org.pneumo.data.BadFilePolicy.lenient());
        double total = 0;
        for (var image : originals) {
            Path copy = root.resolve("chest_xray/train").resolve(image.label().name())
                    .resolve(image.file().getFileName());
            byte[] a = decoder.decode(image.file());
            byte[] b = decoder.decode(copy);
            double sum = 0;
            for (int i = 0; i < a.length; i++) {
                sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
            }
            total += sum / a.length;
        }
        assertThat(total / originals.size()).as("mean absolute difference, original against its copy (gray levels)")
                .isLessThan(1.95);
    }
}
