package org.pneumo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.SyntheticImages;
import org.pneumo.infer.Detector;
import org.pneumo.infer.Prediction;
import org.pneumo.model.ModelCard;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;
import org.pneumo.report.ModelCardReport;

/** The model that ships inside the app: it loads, its card is complete, MODEL_CARD.md is its card. */
class ShippedModelTest {
    static final Path ROOT = Path.of(System.getProperty("pneumo.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @RegisterExtension
    final CliRun cli = new CliRun();

    @Test
    void loadsAndHasACompleteCard() throws Exception {
        ModelInfo info = ModelFiles.readInfo(ShippedModel.folder());
        assertThat(info.architecture()).isEqualTo("cnn-lstm");
        ModelCard card = info.card();
        assertThat(card).as("the shipped model has a card").isNotNull();
        for (String text : List.of(card.summary(), card.intendedUse(), card.notFor(), card.data(), card.recipe(),
                card.thresholdChoice(), card.validation())) {
            assertThat(text).isNotBlank();
        }
        assertThat(card.data()).contains("Kermany").contains("CC BY 4.0");
        assertThat(card.recipe()).contains("bin/pneumo train");
        assertThat(card.notTestedOn()).isNotEmpty();
        assertThat(card.failureModes()).isNotEmpty();
        assertThat(info.validation()).containsKeys("rocAuc", "accuracy", "sensitivity", "specificity");
    }

    @Test
    void modelCardFileIsTheShippedModelsCard() throws Exception {
        String expected = ModelCardReport.markdown(ModelFiles.readInfo(ShippedModel.folder()));
        assertThat(Files.readString(ROOT.resolve("MODEL_CARD.md")))
                .as("MODEL_CARD.md is regenerated with: bin/pneumo info > MODEL_CARD.md").isEqualTo(expected);
    }

    @Test
    void commandsUseItWithoutModelOption() throws Exception {
        Path image = SyntheticImages.write(SyntheticImages.noisy(96, false, new Random(2), null),
                dir.resolve("x.png"), "png");
        assertThat(cli.run("predict", image.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).containsPattern("(NORMAL|PNEUMONIA)\\s+0\\.\\d{4}\\s+.*x\\.png");
        assertThat(cli.run("info")).isZero();
        assertThat(cli.out()).contains("\n# Model card: cnn-lstm-");
        assertThat(cli.run("info", "--set-card", image.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("read-only");
    }

    @Test
    void separatesTheRealFixtureImages() throws Exception {
        String data = System.getProperty("pneumo.data");
        org.junit.jupiter.api.Assumptions.assumeTrue(data != null && !data.isBlank(), "pneumo.data not set");
        Path root = ROOT.resolve(data).resolve("fixtures/small224");
        assertThat(root).as("pneumo.data is set, so its fixtures must exist").isDirectory();
        // These 24 images are from the training split (some trained on): a check that the shipped weights are the
        // trained ones, not a measure of accuracy.
        int right = 0;
        int total = 0;
        try (Detector detector = Detector.load(ShippedModel.folder()); Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Prediction p = detector.predict(f);
                String truth = f.getParent().getFileName().toString();
                right += p.label().name().equalsIgnoreCase(truth) ? 1 : 0;
                total++;
            }
        }
        assertThat(total).isEqualTo(24);
        assertThat(right).isGreaterThanOrEqualTo(22);
    }
}
