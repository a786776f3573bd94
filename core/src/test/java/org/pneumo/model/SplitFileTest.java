package org.pneumo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.DataException;
import org.pneumo.data.Diagnosis;
import org.pneumo.data.LabeledImage;

class SplitFileTest {
    @TempDir
    Path dir;

    @Test
    void pathsAreRelativeToTheTrainingFolderSoTheSplitIsFoundWhereverTheDataAre() throws Exception {
        Path train = dir.resolve("machine-a/chest_xray/train");
        LabeledImage normal = new LabeledImage(train.resolve("NORMAL/IM-0001-0001.jpeg"), Diagnosis.NORMAL);
        LabeledImage sick = new LabeledImage(train.resolve("PNEUMONIA/person1_virus_6.jpeg"), Diagnosis.PNEUMONIA);
        String csv = SplitFile.format(train, List.of(normal), List.of(sick));
        assertThat(csv).isEqualTo("file,label,patient,side\n"
                + "NORMAL/IM-0001-0001.jpeg,NORMAL,IM-0001,train\n"
                + "PNEUMONIA/person1_virus_6.jpeg,PNEUMONIA,person1,validation\n");
        assertThat(csv).doesNotContain(dir.toString());

        Path file = Files.writeString(dir.resolve(SplitFile.FILE), csv);
        Path elsewhere = dir.resolve("machine-b/data/train");
        assertThat(SplitFile.read(file, SplitFile.Side.VALIDATION, null, elsewhere))
                .containsExactly(new LabeledImage(elsewhere.resolve("PNEUMONIA/person1_virus_6.jpeg"),
                        Diagnosis.PNEUMONIA));
        // The folder the model records does not matter for relative paths, relative or absolute.
        assertThat(SplitFile.read(file, SplitFile.Side.TRAIN, Path.of("../shared/data/chest_xray/train"), elsewhere))
                .containsExactly(new LabeledImage(elsewhere.resolve("NORMAL/IM-0001-0001.jpeg"), Diagnosis.NORMAL));
    }

    @Test
    void olderFilesWithAbsolutePathsAreStillRead() throws Exception {
        Path file = Files.writeString(dir.resolve(SplitFile.FILE), """
                file,label,patient,side
                /work/shared/data/chest_xray/train/NORMAL/IM-0001-0001.jpeg,NORMAL,IM-0001,validation
                """);
        Path here = dir.resolve("train");
        assertThat(SplitFile.read(file, SplitFile.Side.VALIDATION, Path.of("/work/shared/data/chest_xray/train"),
                here)).containsExactly(new LabeledImage(here.resolve("NORMAL/IM-0001-0001.jpeg"), Diagnosis.NORMAL));
        assertThatThrownBy(() -> SplitFile.read(file, SplitFile.Side.VALIDATION, Path.of("/elsewhere/train"), here))
                .isInstanceOf(DataException.class).hasMessageContaining("not in the training folder");
        assertThatThrownBy(() -> SplitFile.read(file, SplitFile.Side.VALIDATION, null, here))
                .isInstanceOf(DataException.class).hasMessageContaining("no absolute training folder");
    }

    @Test
    void aPathOutsideTheTrainingFolderIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve(SplitFile.FILE), """
                file,label,patient,side
                ../other/NORMAL/IM-0001-0001.jpeg,NORMAL,IM-0001,validation
                """);
        assertThatThrownBy(() -> SplitFile.read(file, SplitFile.Side.VALIDATION, null, dir.resolve("train")))
                .isInstanceOf(DataException.class).hasMessageContaining("not inside the training folder");
        assertThatThrownBy(() -> SplitFile.format(dir.resolve("train"), List.of(new LabeledImage(
                dir.resolve("other/NORMAL/IM-0001-0001.jpeg"), Diagnosis.NORMAL)), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in the training folder");
    }
}
