package org.pneumo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {
    @TempDir
    Path dir;

    private static ModelInfo info(long params) {
        return new ModelInfo(ModelInfo.FORMAT_VERSION, "test-model", "seed", params, new ModelInfo.Input(32, 1),
                ModelInfo.PREPROCESSING, ModelInfo.defaultClasses(), new ModelInfo.Threshold(0.4, "test"),
                Map.of("seed", 1), Map.of(), Map.of(), "2026-01-01T00:00:00Z", null);
    }

    @Test
    void savedModelLoadsWithTheSameOutputs() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = Architecture.SEED.build(1);
            block.initialize(m, DataType.FLOAT32, new Shape(1, 1, 32, 32));
            ModelInfo info = info(ModelFiles.parameterCount(block));
            ModelFiles.save(dir.resolve("model"), info, block);
            var x = m.randomUniform(0, 1, new Shape(2, 1, 32, 32));
            float[] before = block.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray();
            try (Model model = Model.newInstance("t")) {
                ModelInfo loaded = ModelFiles.load(dir.resolve("model"), model);
                assertThat(ModelFiles.gson().toJson(loaded)).isEqualTo(ModelFiles.gson().toJson(info));
                float[] after = model.getBlock().forward(new ParameterStore(m, false), new NDList(x), false).head()
                        .toFloatArray();
                assertThat(after).containsExactly(before);
            }
            assertThat(Files.list(dir).map(p -> p.getFileName().toString()).toList())
                    .as("no temporary folder is left").containsExactly("model");
        }
    }

    @Test
    void aGuardFittedBeforeBackboneStagesWereReadHasNone() {
        String older = "{\"file\": \"typicality.bin\", \"method\": \"m\", \"features\": \"f\", \"featureCount\": 384,"
                + " \"trainImages\": 10, \"validationImages\": 5, \"cutPercentile\": 0.99, \"cut\": 27.0,"
                + " \"chosen\": \"c\"}";
        ModelInfo.Scope scope = ModelFiles.gson().fromJson(older, ModelInfo.Scope.class);
        assertThat(scope.stages()).isEmpty();
        assertThat(scope.featureCount()).isEqualTo(384);
        ModelInfo.Scope newer = ModelFiles.gson().fromJson(older.replace("}", ", \"stages\": [13, 16]}"),
                ModelInfo.Scope.class);
        assertThat(newer.stages()).containsExactly(13, 16);
    }

    @Test
    void mismatchesAreRefusedWithAClearMessage() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = Architecture.SEED.build(1);
            block.initialize(m, DataType.FLOAT32, new Shape(1, 1, 32, 32));
            ModelFiles.save(dir.resolve("model"), info(123), block);
            try (Model model = Model.newInstance("t")) {
                assertThatThrownBy(() -> ModelFiles.load(dir.resolve("model"), model))
                        .isInstanceOf(ModelLoadException.class)
                        .hasMessageContaining("model.json says 123");
            }
            Path json = dir.resolve("model/model.json");
            String current = "\"formatVersion\": " + ModelInfo.FORMAT_VERSION;
            String saved = Files.readString(json);
            assertThat(saved).contains(current);
            Files.writeString(json, saved.replace(current, "\"formatVersion\": 9"));
            assertThatThrownBy(() -> ModelFiles.readInfo(dir.resolve("model")))
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessageContaining("format version 9");
            // Version 1 is still read for the unchanged seed network, refused for cnn-lstm (its input changed).
            Files.writeString(json, saved.replace(current, "\"formatVersion\": 1"));
            assertThat(ModelFiles.readInfo(dir.resolve("model")).architecture()).isEqualTo("seed");
            Files.writeString(json, saved.replace(current, "\"formatVersion\": 1")
                    .replace("\"architecture\": \"seed\"", "\"architecture\": \"cnn-lstm\""));
            assertThatThrownBy(() -> ModelFiles.readInfo(dir.resolve("model")))
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessageContaining("retrain");
            Files.writeString(json, "{ not json");
            assertThatThrownBy(() -> ModelFiles.readInfo(dir.resolve("model")))
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessageContaining("cannot read");
        }
        assertThatThrownBy(() -> ModelFiles.readInfo(dir.resolve("absent")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void classesMustMatch() throws Exception {
        ModelInfo odd = new ModelInfo(1, "x", "seed", 1, new ModelInfo.Input(32, 1), "", List.of("A", "B"),
                new ModelInfo.Threshold(0.5, "t"), null, null, null, "now", null);
        Files.createDirectories(dir.resolve("m"));
        Files.writeString(dir.resolve("m/model.json"), ModelFiles.gson().toJson(odd));
        assertThatThrownBy(() -> ModelFiles.readInfo(dir.resolve("m")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("[A, B]");
    }
}
