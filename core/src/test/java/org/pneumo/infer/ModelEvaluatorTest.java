package org.pneumo.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.BadFilePolicy;
import org.pneumo.data.DataException;
import org.pneumo.data.LabeledImage;
import org.pneumo.data.SyntheticImages;
import org.pneumo.eval.Evaluation;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;
import org.pneumo.model.SplitFile;
import org.pneumo.train.TinyModel;

class ModelEvaluatorTest {
    @TempDir
    static Path dir;

    static Path data;
    static Path model;

    @BeforeAll
    static void train() throws Exception {
        data = SyntheticImages.blobDataset(dir.resolve("data"), 30, 40, 5);
        for (int i = 0; i < 4; i++) {
            Files.write(data.resolve("NORMAL/IM-05" + i + "0-0001.png"), new byte[] {1, 2, 3});
        }
        model = TinyModel.trainOn(data, dir.resolve("model"), dir.resolve("cache"), 1);
    }

    @Test
    void evaluatesTheModelsOwnValidationSplitThroughTheApi() throws Exception {
        try (Detector detector = Detector.load(model)) {
            ModelEvaluator.LabelledImages images = ModelEvaluator.images(model, detector.info(), data,
                    ModelEvaluator.VALIDATION, BadFilePolicy.lenient());
            assertThat(images.description()).startsWith("validation split (by patient) of ");
            Evaluation e = new ModelEvaluator(detector, 8, 42).evaluate(images.images(), BadFilePolicy.lenient(),
                    "model's", done -> { });
            ModelInfo info = detector.info();
            assertThat(e.images()).hasSize(((Number) info.validation().get("images")).intValue());
            assertThat(e.skipped()).isEmpty();
            assertThat(e.rocAuc().value()).isCloseTo(((Number) info.validation().get("rocAuc")).doubleValue(),
                    Offset.offset(1e-6));
            assertThat(e.confusion().sensitivity().value()).isCloseTo(
                    ((Number) info.validation().get("sensitivity")).doubleValue(), Offset.offset(1e-12));
        }
    }

    @Test
    void withoutSplitFileTheSplitIsRebuiltFromTheImagesThatDecode() throws Exception {
        ModelInfo info = ModelFiles.readInfo(model);
        List<LabeledImage> fromFile = ModelEvaluator.validationImages(model, info, data);
        Path copy = dir.resolve("no-split");
        Files.createDirectories(copy);
        Files.copy(model.resolve(ModelFiles.INFO_FILE), copy.resolve(ModelFiles.INFO_FILE));
        List<LabeledImage> rebuilt = ModelEvaluator.validationImages(copy, info, data);
        assertThat(rebuilt).containsExactlyInAnyOrderElementsOf(fromFile);
        assertThat(SplitFile.read(model.resolve(SplitFile.FILE), SplitFile.Side.TRAIN, data, data))
                .doesNotContainAnyElementsOf(fromFile);
    }

    @Test
    void otherImagesAreRefused() throws Exception {
        Path other = SyntheticImages.blobDataset(dir.resolve("other"), 5, 40, 9);
        ModelInfo info = ModelFiles.readInfo(model);
        assertThatThrownBy(() -> ModelEvaluator.validationImages(model, info, other))
                .isInstanceOf(DataException.class).hasMessageContaining("fingerprint");
    }
}
