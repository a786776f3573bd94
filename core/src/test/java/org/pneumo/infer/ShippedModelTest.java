package org.pneumo.infer;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.pneumo.data.Diagnosis;
import org.pneumo.data.SyntheticImages;
import org.pneumo.model.ModelCard;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;
import org.pneumo.model.ShippedModel;
import org.pneumo.report.ModelCardReport;

/** The model that ships inside the library: it loads, its card is complete, MODEL_CARD.md is its card. */
class ShippedModelTest {
    static final Path ROOT = Path.of(System.getProperty("pneumo.root", "..")).toAbsolutePath().normalize();

    @Test
    void loadsAndHasACompleteCard() throws Exception {
        ModelInfo info = ModelFiles.readInfo(ShippedModel.folder());
        assertThat(info.architecture()).isEqualTo("mobilenet-lstm");
        assertThat(info.scope().stages()).as("the guard reads the pretrained backbone").isNotEmpty();
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
    void loadShippedPredictsWithTheShippedModelsThreshold() throws Exception {
        BufferedImage image = SyntheticImages.noisy(160, false, new Random(2), null);
        try (Detector detector = Detector.loadShipped(); Detector lax = Detector.loadShipped(0.0)) {
            assertThat(detector.info().modelId()).isEqualTo(ModelFiles.readInfo(ShippedModel.folder()).modelId());
            assertThat(detector.threshold()).isEqualTo(detector.info().threshold().value());
            Prediction p = detector.predict("x", image, false);
            assertThat(p.probability()).isBetween(0.0, 1.0);
            assertThat(lax.predict("x", image, false).label()).isEqualTo(Diagnosis.PNEUMONIA);
        }
    }

    @Test
    void photographsInGrayAreOutOfScope() throws Exception {
        // The three photos of MobileNetV2's conversion test (Apache-2.0, beside them): in colour the decoder refuses
        // them; made gray, as a scanned or converted photo would be, they reach the network and the guard must flag them.
        try (Detector detector = Detector.loadShipped()) {
            for (String name : List.of("cat_720p.jpg", "parrot.jpg", "hot_dog.jpg")) {
                BufferedImage colour;
                try (var in = ShippedModelTest.class.getResourceAsStream("/org/pneumo/model/mobilenet_v2/" + name)) {
                    colour = javax.imageio.ImageIO.read(in);
                }
                BufferedImage gray = new BufferedImage(colour.getWidth(), colour.getHeight(),
                        BufferedImage.TYPE_BYTE_GRAY);
                gray.getGraphics().drawImage(colour, 0, 0, null);
                Prediction p = detector.predict(name, gray, false);
                assertThat(p.scope().outOfScope()).as(name + ": " + p.scope()).isTrue();
            }
        }
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
        try (Detector detector = Detector.loadShipped(); Stream<Path> files = Files.walk(root)) {
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
