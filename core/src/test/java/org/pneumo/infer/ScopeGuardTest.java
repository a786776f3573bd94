package org.pneumo.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.InputSpec;
import org.pneumo.data.SyntheticImages;
import org.pneumo.model.Architecture;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;
import org.pneumo.train.ScopeGuardFit;
import org.pneumo.train.TrainingLoop;
import org.pneumo.train.TrainingProgress;
import org.pneumo.train.TrainingSettings;

/** The out-of-scope guard end to end: fitted by training, stored, loaded, and applied to every prediction. */
class ScopeGuardTest {
    @TempDir
    static Path dir;

    static Path data;
    static Path modelDir;
    static Detector detector;

    @BeforeAll
    static void trainTinyModel() throws Exception {
        data = SyntheticImages.blobDataset(dir.resolve("data"), 40, 48, 17);
        modelDir = dir.resolve("model");
        new TrainingLoop(TrainingSettings.builder()
                .setData(data)
                .setOut(modelDir)
                .setCacheDir(dir.resolve("cache"))
                .optArchitecture(Architecture.CNN_LSTM)
                .optInput(new InputSpec(32, 1))
                .optEpochs(4)
                .optBatchSize(16)
                .optLearningRate(3e-3f)
                .optValFraction(0.25)
                .optSeed(42)
                .optAugment(false)
                .build(), TrainingProgress.SILENT).run(false, false);
        detector = Detector.load(modelDir);
    }

    @AfterAll
    static void close() {
        if (detector != null) {
            detector.close();
        }
    }

    @Test
    void trainingStoresTheGuardAndDescribesItInModelJson() throws Exception {
        ModelInfo info = ModelFiles.readInfo(modelDir);
        assertThat(info.scope()).isNotNull();
        assertThat(info.scope().file()).isEqualTo(ScopeGuardFit.FILE);
        assertThat(Files.isRegularFile(modelDir.resolve(ScopeGuardFit.FILE))).isTrue();
        assertThat(info.scope().cutPercentile()).isEqualTo(ScopeGuardFit.DEFAULT_PERCENTILE);
        assertThat(info.scope().trainImages()).isEqualTo(60);
        assertThat(info.scope().validationImages()).isEqualTo(20);
        // cnn-lstm: 128 map means at the end of the feature extractor + the 128-value LSTM summary
        assertThat(info.scope().featureCount()).isEqualTo(256);
        assertThat(info.scope().chosen()).contains("99th percentile of the validation");
        assertThat(detector.hasScopeGuard()).isTrue();
    }

    @Test
    void imagesLikeTheTrainingDataAreInScope() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(data)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        List<PredictionResult> results = detector.predictFiles(files, 16, false, n -> { });
        long flagged = results.stream().filter(r -> r.prediction().scope().outOfScope()).count();
        // The cut is the validation split's 99th percentile: its own images are inside; a training image only rarely
        // lies beyond it.
        assertThat(flagged).isLessThanOrEqualTo(files.size() / 20);
        Prediction p = results.get(0).prediction();
        assertThat(p.scope().typicality()).isFinite();
        assertThat(p.scope().percentile()).isBetween(0.0, 1.0);
    }

    @Test
    void picturesThatAreNotXraysAreOutOfScopeWithAReason() {
        for (Map.Entry<String, BufferedImage> e : nonXrays().entrySet()) {
            Prediction p = detector.predict(e.getKey(), e.getValue(), false);
            assertThat(p.scope().inScope()).as(e.getKey()).isFalse();
            assertThat(p.scope().reason()).as(e.getKey()).contains("unlike the training images");
            assertThat(p.scope().percentile()).as(e.getKey()).isEqualTo(1.0);
            assertThat(p.label()).isNotNull(); // the verdict is still computed
            assertThat(p.fields()).containsEntry("inScope", false).containsKey("typicality")
                    .containsKey("scopeReason");
        }
    }

    @Test
    void theHeatmapPassGivesTheSameAnswerAndTypicality() {
        BufferedImage image = SyntheticImages.noisy(48, true, new Random(3), null);
        Prediction plain = detector.predict("x", image, false);
        Prediction withMap = detector.predict("x", image, true);
        assertThat(withMap.heatmap()).isNotNull();
        assertThat(withMap.probability()).isCloseTo(plain.probability(), within(1e-5));
        assertThat(withMap.scope().typicality()).isCloseTo(plain.scope().typicality(), within(1e-3));
        assertThat(withMap.scope().inScope()).isEqualTo(plain.scope().inScope());
    }

    @Test
    void aModelFolderWithoutGuardStillLoadsAndSaysSo() throws Exception {
        Path old = dir.resolve("old-model");
        Files.createDirectories(old);
        for (String f : List.of(ModelFiles.WEIGHTS_FILE)) {
            Files.copy(modelDir.resolve(f), old.resolve(f));
        }
        JsonObject json = JsonParser.parseString(Files.readString(modelDir.resolve(ModelFiles.INFO_FILE)))
                .getAsJsonObject();
        json.remove("scope");
        Files.writeString(old.resolve(ModelFiles.INFO_FILE), json.toString(), StandardCharsets.UTF_8);
        try (Detector d = Detector.load(old)) {
            assertThat(d.hasScopeGuard()).isFalse();
            Prediction p = d.predict("x", SyntheticImages.noisy(48, false, new Random(1), null), false);
            assertThat(p.scope().inScope()).isNull();
            assertThat(p.scope().reason()).isEqualTo(ScopeVerdict.UNAVAILABLE);
            assertThat(p.fields()).containsEntry("inScope", null).containsEntry("typicality", null);
            Prediction guarded = detector.predict("x", SyntheticImages.noisy(48, false, new Random(1), null), false);
            assertThat(p.probability()).isCloseTo(guarded.probability(), within(1e-6));
        }
    }

    /** Pictures that are not X-rays: a checkerboard, a gradient, text on paper, coloured shapes. */
    static Map<String, BufferedImage> nonXrays() {
        int size = 160;
        Map<String, BufferedImage> out = new java.util.LinkedHashMap<>();
        BufferedImage checker = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage gradient = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                checker.getRaster().setSample(x, y, 0, ((x / 20 + y / 20) % 2) * 235 + 10);
                gradient.getRaster().setSample(x, y, 0, x * 255 / size);
            }
        }
        out.put("checkerboard", checker);
        out.put("gradient", gradient);
        BufferedImage text = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = text.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, size, size);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 28));
        List<String> lines = new ArrayList<>(List.of("Invoice", "No. 4711", "Total 12.50"));
        for (int i = 0; i < lines.size(); i++) {
            g.drawString(lines.get(i), 8, 40 + 40 * i);
        }
        g.dispose();
        out.put("text", text);
        BufferedImage shapes = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        g = shapes.createGraphics();
        g.setColor(new Color(30, 120, 220));
        g.fillRect(0, 0, size, size);
        g.setColor(new Color(250, 200, 20));
        g.fillOval(20, 20, 70, 70);
        g.setColor(new Color(220, 30, 60));
        g.fillRect(90, 80, 60, 60);
        g.dispose();
        out.put("coloured shapes", shapes);
        return out;
    }
}
