package org.pneumo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();
    private final BadFilePolicy lenient = new BadFilePolicy(false, warnings::add);

    private void image(String path) {
        SyntheticImages.write(SyntheticImages.gray(8, 8, 50), dir.resolve(path), "png");
    }

    @Test
    void readsAKaggleRootCaseInsensitively() {
        image("Train/normal/IM-0001-0001.png");
        image("Train/Pneumonia/person1_virus_1.png");
        Path split = ImageFolder.resolveSplit(dir, "train");
        assertThat(split.getFileName().toString()).isEqualTo("Train");
        List<LabeledImage> images = ImageFolder.list(split, true, lenient);
        assertThat(images).extracting(LabeledImage::label).containsExactly(Diagnosis.NORMAL, Diagnosis.PNEUMONIA);
    }

    @Test
    void aSplitFolderIsUsedAsIs() {
        image("NORMAL/IM-0001-0001.png");
        image("PNEUMONIA/person1_virus_1.png");
        assertThat(ImageFolder.resolveSplit(dir, "train")).isEqualTo(dir);
    }

    @Test
    void nonImageFilesAreSkippedWithAWarningOrFatalWhenStrict() throws Exception {
        image("NORMAL/IM-0001-0001.png");
        image("PNEUMONIA/person1_virus_1.png");
        Files.writeString(dir.resolve("NORMAL/readme.txt"), "x");
        assertThat(ImageFolder.list(dir, true, lenient)).hasSize(2);
        assertThat(warnings).singleElement().asString().contains("readme.txt");
        BadFilePolicy strict = new BadFilePolicy(true, warnings::add);
        assertThatThrownBy(() -> ImageFolder.list(dir, true, strict))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("readme.txt")
                .hasMessageContaining("(strict)");
    }

    @Test
    void missingFolderIsAClearError() {
        assertThatThrownBy(() -> ImageFolder.resolveSplit(dir.resolve("nope"), "train"))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void unknownClassFolderIsNamed() {
        image("NORMAL/IM-0001-0001.png");
        image("PNEUMONIA/person1_virus_1.png");
        image("COVID/x.png");
        assertThatThrownBy(() -> ImageFolder.list(dir, true, lenient))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("[COVID]");
    }

    @Test
    void missingOrEmptyClassFolderIsAnErrorWhenBothAreNeeded() throws Exception {
        image("NORMAL/IM-0001-0001.png");
        assertThatThrownBy(() -> ImageFolder.list(dir, true, lenient))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("no PNEUMONIA class folder");
        Files.createDirectories(dir.resolve("PNEUMONIA"));
        assertThatThrownBy(() -> ImageFolder.list(dir, true, lenient))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("has no images");
        assertThat(ImageFolder.list(dir, false, lenient)).hasSize(1);
    }

    @Test
    void folderWithoutClassesOrSplitsIsAnError() throws Exception {
        Files.createDirectories(dir.resolve("other"));
        assertThatThrownBy(() -> ImageFolder.resolveSplit(dir, "train"))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("neither a 'train' split folder nor NORMAL/PNEUMONIA");
    }

    @Test
    void aMissingSplitNamesTheSplitsThatExist() throws Exception {
        Files.createDirectories(dir.resolve("val/NORMAL"));
        Files.createDirectories(dir.resolve("train/pneumonia"));
        Files.createDirectories(dir.resolve("notes"));
        assertThat(ImageFolder.splitFolders(dir)).containsExactly("train", "val");
        assertThatThrownBy(() -> ImageFolder.resolveSplit(dir, "test"))
                .isInstanceOf(DataException.class)
                .hasMessageEndingWith("; its split folders: train, val");
    }
}
