package org.pneumo.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.eval.ThresholdRule;
import org.pneumo.infer.Detector;
import org.pneumo.infer.Ensemble;
import org.pneumo.model.ModelLoadException;
import org.pneumo.train.TinyModel;

class ModelBundleTest {
    @TempDir
    Path dir;

    @Test
    void anEnsembleTravelsWithItsMembersAndLoadsOnTheOtherSide() throws Exception {
        Path a = TinyModel.train(dir.resolve("a"), 12, 1);
        Path b = TinyModel.trainOn(dir.resolve("a/data"), dir.resolve("b"), dir.resolve("cache"), 1);
        Path ensemble = dir.resolve("ensemble");
        Ensemble.create(List.of(a, b), ensemble, dir.resolve("a/data"), ThresholdRule.youden(), null, 8,
                n -> k -> { });
        ModelBundle bundle = ModelBundle.read(ensemble.toUri().toString(), new Configuration());
        Path local = bundle.unpack();
        try (Detector detector = Detector.load(local); Detector original = Detector.load(ensemble)) {
            assertThat(detector.info().modelId()).isEqualTo(original.info().modelId()).isEqualTo(bundle.modelId());
            assertThat(detector.info().members()).hasSize(2);
            assertThat(detector.hasScopeGuard()).isTrue();
        } finally {
            ModelBundle.deleteFolder(local);
        }
        assertThat(local).doesNotExist();
    }

    @Test
    void aMemberOutsideTheFolderIsRefused() throws Exception {
        Path one = TinyModel.train(dir.resolve("one"), 6, 1);
        com.google.gson.JsonObject info = com.google.gson.JsonParser.parseString(
                Files.readString(one.resolve("model.json"))).getAsJsonObject();
        info.addProperty("architecture", "ensemble");
        com.google.gson.JsonArray members = new com.google.gson.JsonArray();
        members.add("../elsewhere");
        members.add("m");
        info.getAsJsonObject("training").add("members", members);
        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("model.json"), info.toString());
        assertThatThrownBy(() -> ModelBundle.read(bad.toUri().toString(), new Configuration()))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("names member ../elsewhere");
    }
}
