package org.pneumo.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class ProvenanceTest {
    /** The provenance of the shipped model's model.json (format 2), as it was written before the typed records. */
    private static final String FORMAT_2 = """
            {"formatVersion": 2, "modelId": "cnn-lstm-20261125-215806", "architecture": "cnn-lstm",
             "parameterCount": 352818, "input": {"imageSize": 224, "channels": 1}, "preprocessing": "p",
             "classes": ["NORMAL", "PNEUMONIA"],
             "threshold": {"value": 0.560519899017846, "method": "m"},
             "training": {"maxBatches": 0, "valFraction": 0.2, "bestEpoch": 20, "seed": 42, "epochs": 20},
             "data": {"images": 5216, "trainImages": {"NORMAL": 1073, "PNEUMONIA": 3100}, "skippedFiles": 0,
                      "folder": "/work/shared/data/chest_xray/train",
                      "validationImages": {"NORMAL": 268, "PNEUMONIA": 775},
                      "split": "by patient (id from the file name), stratified by class, seeded",
                      "fingerprint": "sha256:f76e58ec592a83ed90b96730b7676862"},
             "validation": {"images": 1043, "rocAuc": 0.9988348579682234, "loss": 0.040008386582639006,
                            "accuracy": 0.9846596356663471, "sensitivity": 0.9806451612903225,
                            "accuracyAt0.5": 0.9846596356663471, "specificity": 0.996268656716418},
             "created": "2026-11-25T21:58:06.770543604Z", "card": null}
            """;

    @Test
    void format2ProvenanceReadsTypedAndWritesBackTheSameObjects() {
        ModelInfo info = ModelFiles.gson().fromJson(new StringReader(FORMAT_2), ModelInfo.class);
        JsonObject original = JsonParser.parseString(FORMAT_2).getAsJsonObject();

        Provenance.Data data = info.dataProvenance();
        assertThat(data.fingerprint()).isEqualTo("sha256:f76e58ec592a83ed90b96730b7676862");
        assertThat(data.validationImages()).isEqualTo(new Provenance.ClassCounts(268, 775));
        assertThat(ModelFiles.gson().toJsonTree(data.toMap())).isEqualTo(original.get("data"));

        Provenance.Validation v = info.validationFigures();
        assertThat(v.images()).isEqualTo(1043);
        assertThat(v.sensitivity()).isEqualTo(0.9806451612903225);
        assertThat(v.accuracyAtHalf()).isEqualTo(0.9846596356663471);
        assertThat(ModelFiles.gson().toJsonTree(v.toMap())).isEqualTo(original.get("validation"));

        assertThat(info.split()).isEqualTo(new Provenance.Split(0.2, 42));
    }

    @Test
    void aModelWithoutProvenanceHasNoSplitAndUndefinedFigures() {
        ModelInfo bare = new ModelInfo(2, "x", "seed", 1, new ModelInfo.Input(32, 1), "", ModelInfo.defaultClasses(),
                new ModelInfo.Threshold(0.5, "t"), null, null, null, "now", null);
        assertThat(bare.split()).isNull();
        assertThat(bare.dataProvenance().fingerprint()).isNull();
        assertThat(bare.validationFigures().rocAuc()).isNaN();
    }

    @Test
    void anOlderModelJsonLoadsWithItsAbsoluteFolderAndAThresholdWithoutPlacement() {
        ModelInfo info = ModelFiles.gson().fromJson(new StringReader(FORMAT_2), ModelInfo.class);
        assertThat(info.threshold()).isEqualTo(new ModelInfo.Threshold(0.560519899017846, "m"));
        assertThat(info.threshold().placement()).isNull();
        assertThat(info.threshold().rechosen()).isNull();
        // Kept as stored (split.csv files of that version need it), shown shortened.
        assertThat(info.dataProvenance().folder()).isEqualTo("/work/shared/data/chest_xray/train");
        ModelInfo shown = info.withoutMachinePaths();
        assertThat(shown.data()).containsEntry("folder", ".../chest_xray/train");
        assertThat(ModelFiles.gson().toJson(shown)).doesNotContain("/work/");
        assertThat(shown.data().keySet()).containsExactlyElementsOf(info.data().keySet());
    }

    @Test
    void aThresholdChosenAgainRoundTripsThroughModelJson() {
        ModelInfo info = ModelFiles.gson().fromJson(new StringReader(FORMAT_2), ModelInfo.class);
        ModelInfo.Threshold again = new ModelInfo.Threshold(0.554, "rule", "midway",
                new ModelInfo.Rechosen("2026-11-26T10:00:00Z", "pneumo threshold", 1043, 0.560519899017846, "m"));
        ModelInfo changed = info.withThreshold(again, info.validation());
        ModelInfo read = ModelFiles.gson().fromJson(ModelFiles.gson().toJson(changed), ModelInfo.class);
        assertThat(read.threshold()).isEqualTo(again);
        assertThat(read.modelId()).isEqualTo(info.modelId());
        // The other objects keep their order, so rewriting model.json changes only what changed.
        assertThat(read.training().keySet()).containsExactlyElementsOf(info.training().keySet());
    }

    @Test
    void foldersAreRecordedAsGivenAndShownWithoutTheMachinesLayout() {
        assertThat(Provenance.Data.asGiven(java.nio.file.Path.of("../shared/data/./chest_xray/train")))
                .isEqualTo("../shared/data/chest_xray/train");
        assertThat(Provenance.Data.asGiven(java.nio.file.Path.of("."))).isEqualTo(".");
        assertThat(Provenance.Data.forPeople("../shared/data/chest_xray/train"))
                .isEqualTo("../shared/data/chest_xray/train");
        assertThat(Provenance.Data.forPeople("/home/someone/secret/chest_xray/train"))
                .isEqualTo(".../chest_xray/train");
        assertThat(Provenance.Data.forPeople("C:\\Users\\someone\\chest_xray\\train"))
                .isEqualTo(".../chest_xray/train");
        assertThat(Provenance.Data.forPeople("~/data/train")).isEqualTo(".../data/train");
        assertThat(Provenance.Data.forPeople("/")).isEqualTo("(not shown)");
        assertThat(Provenance.Data.forPeople(null)).isNull();
    }
}
