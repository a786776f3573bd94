package org.pneumo.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.Diagnosis;
import org.pneumo.data.ImageDecoder;
import org.pneumo.data.ImageSource;
import org.pneumo.data.InputSpec;
import org.pneumo.data.SyntheticImages;
import org.pneumo.model.Architecture;
import org.pneumo.model.ModelLoadException;
import org.pneumo.train.TrainingLoop;
import org.pneumo.train.TrainingProgress;
import org.pneumo.train.TrainingSettings;

class DetectorTest {
    @TempDir
    static Path dir;

    static Path modelDir;
    static Detector detector;

    @BeforeAll
    static void trainTinyModel() throws Exception {
        Path data = SyntheticImages.blobDataset(dir.resolve("data"), 40, 48, 11);
        modelDir = dir.resolve("model");
        new TrainingLoop(TrainingSettings.builder()
                .setData(data)
                .setOut(modelDir)
                .setCacheDir(dir.resolve("cache"))
                .optArchitecture(Architecture.CNN_LSTM)
                .optInput(new InputSpec(32, 1))
                .optEpochs(6)
                .optBatchSize(16)
                .optLearningRate(3e-3f)
                .optWeightDecay(1e-4f)
                .optValFraction(0.25)
                .optSeed(42)
                .optAugment(false)
                .build(),
                TrainingProgress.SILENT).run(false, false);
        detector = Detector.load(modelDir);
    }

    @AfterAll
    static void close() {
        detector.close();
    }

    private static Path image(String name, boolean blob, long seed) {
        return SyntheticImages.write(SyntheticImages.noisy(48, blob, new Random(seed), null), dir.resolve(name), "png");
    }

    @Test
    void fileBytesAndImageGiveTheSameAnswer() throws Exception {
        Path file = image("a.png", true, 1);
        Prediction fromFile = detector.predict(file);
        Prediction fromBytes = detector.predict("a", Files.readAllBytes(file), false);
        BufferedImage img = ImageIO.read(file.toFile());
        Prediction fromImage = detector.predict("a", img, false);
        assertThat(fromBytes.probability()).isCloseTo(fromFile.probability(), within(1e-9));
        assertThat(fromImage.probability()).isCloseTo(fromFile.probability(), within(1e-9));
        assertThat(fromFile.source()).isEqualTo(file.toString());
        assertThat(fromFile.modelId()).isEqualTo(detector.info().modelId());
        assertThat(fromFile.threshold()).isEqualTo(detector.info().threshold().value());
        assertThat(fromFile.heatmap()).isNull();
    }

    @Test
    @Tag("slow") // learning: asserts what the tiny model learned
    void separatesTheSyntheticClasses() throws Exception {
        int correct = 0;
        for (int i = 0; i < 20; i++) {
            boolean blob = i % 2 == 0;
            Prediction p = detector.predict(image("s" + i + ".png", blob, 100 + i));
            if ((p.label() == Diagnosis.PNEUMONIA) == blob) {
                correct++;
            }
        }
        assertThat(correct).isGreaterThanOrEqualTo(17);
    }

    @Test
    void batchesMatchSingleCallsAndBadFilesAreReportedNotFatal() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            files.add(image("b" + i + ".png", i % 2 == 0, 200 + i));
        }
        Path broken = Files.writeString(dir.resolve("broken.png"), "not an image");
        files.add(3, broken);
        List<Integer> progress = new ArrayList<>();
        List<PredictionResult> results = detector.predictFiles(files, 3, false, progress::add);
        assertThat(results).hasSize(8);
        assertThat(progress).containsExactly(3, 6, 8);
        assertThat(results.get(3).failed()).isTrue();
        assertThat(results.get(3).error()).contains("not a JPEG, PNG or DICOM");
        for (int i = 0; i < files.size(); i++) {
            if (i != 3) {
                assertThat(results.get(i).source()).isEqualTo(files.get(i).toString());
                assertThat(results.get(i).prediction().probability())
                        .isCloseTo(detector.predict(files.get(i)).probability(), within(1e-5));
            }
        }
    }

    @Test
    void thresholdOverrideDecidesTheLabel() throws Exception {
        Path file = image("t.png", true, 5);
        double p = detector.predict(file).probability();
        try (Detector strict = Detector.load(modelDir, Math.min(1.0, p + 1e-6));
                Detector lax = Detector.load(modelDir, Math.max(0.0, p - 1e-6))) {
            assertThat(strict.predict(file).label()).isEqualTo(Diagnosis.NORMAL);
            assertThat(lax.predict(file).label()).isEqualTo(Diagnosis.PNEUMONIA);
        }
        assertThatThrownBy(() -> Detector.load(modelDir, 1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threshold 1.5");
    }

    @Test
    void missingModelIsAClearError() {
        assertThatThrownBy(() -> Detector.load(dir.resolve("nope")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void heatmapCoversTheInputAndRendersAnOverlay() throws Exception {
        Path file = image("h.png", true, 9);
        Prediction p = detector.predictWithHeatmap(file);
        assertThat(p.heatmap().width()).isEqualTo(32);
        assertThat(p.heatmap().height()).isEqualTo(32);
        for (float v : p.heatmap().values()) {
            assertThat(v).isBetween(0f, 1f);
        }
        BufferedImage overlay = HeatmapImage.render(detector.readForDisplay(file), p);
        assertThat(overlay.getWidth()).isGreaterThan(48);
        HeatmapImage.write(detector.readForDisplay(file), p, dir.resolve("out/h.png"));
        assertThat(ImageIO.read(dir.resolve("out/h.png").toFile())).isNotNull();
    }

    /** A file source that counts how many images were read but whose result has not reached the sink yet. */
    private static final class CountingSource implements ImageSource {
        static final AtomicInteger alive = new AtomicInteger();
        static final AtomicInteger peak = new AtomicInteger();
        private final ImageSource file;

        CountingSource(Path file) {
            this.file = ImageSource.of(file);
        }

        @Override
        public String name() {
            return file.name();
        }

        @Override
        public byte[] decode(ImageDecoder decoder) throws java.io.IOException {
            peak.accumulateAndGet(alive.incrementAndGet(), Math::max);
            return file.decode(decoder);
        }
    }

    @Test
    void aFolderLargerThanTheWindowStreamsInOrderWithAtMostTwoBatchesDecoded() throws Exception {
        Path folder = dir.resolve("stream");
        List<ImageSource> sources = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            Path f = SyntheticImages.write(SyntheticImages.noisy(40, i % 2 == 0, new Random(300 + i), null),
                    folder.resolve(String.format("%03d.png", i)), "png");
            sources.add(new CountingSource(f));
        }
        Files.writeString(folder.resolve("017.png"), "not an image");
        int batch = 3;
        List<String> order = new ArrayList<>();
        detector.predictEach(sources.iterator(), batch, false, r -> {
            // The sink sees each result once its image is done; the image is no longer held for it.
            CountingSource.alive.decrementAndGet();
            order.add(r.source());
            assertThat(r.failed()).isEqualTo(r.source().endsWith("017.png"));
        });
        assertThat(order).containsExactlyElementsOf(sources.stream().map(ImageSource::name).toList());
        assertThat(CountingSource.peak.get()).as("images read but not yet handed on").isLessThanOrEqualTo(2 * batch);
        assertThat(CountingSource.alive.get()).isZero();
    }

    @Test
    void encodedBytesArePredictedInBatchesUnderAnyName() throws Exception {
        Path a = image("e1.png", true, 41);
        Path b = image("e2.png", false, 42);
        List<PredictionResult> results = detector.predictAll(List.of(
                ImageSource.of("s3a://bucket/scans/e1.png", Files.readAllBytes(a)),
                ImageSource.of("s3a://bucket/scans/empty.png", new byte[0]),
                ImageSource.of("s3a://bucket/scans/e2.png", Files.readAllBytes(b))), 2, false);
        assertThat(results).extracting(PredictionResult::source).containsExactly("s3a://bucket/scans/e1.png",
                "s3a://bucket/scans/empty.png", "s3a://bucket/scans/e2.png");
        assertThat(results.get(0).prediction().probability())
                .isCloseTo(detector.predict(a).probability(), within(1e-5));
        assertThat(results.get(1).error()).isEqualTo("empty file");
        assertThat(results.get(2).prediction().source()).isEqualTo("s3a://bucket/scans/e2.png");
        assertThat(results.get(2).fields()).containsOnlyKeys("file", "label", "probability", "threshold", "modelId",
                "inScope", "typicality", "typicalityPercentile", "scopeReason", "scopeNote");
        assertThat(results.get(1).fields()).containsOnlyKeys("file", "error");
    }
}
