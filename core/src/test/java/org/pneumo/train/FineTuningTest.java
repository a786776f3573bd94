package org.pneumo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.InputSpec;
import org.pneumo.data.SyntheticImages;
import org.pneumo.infer.Detector;
import org.pneumo.model.Architecture;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;

class FineTuningTest {
    @TempDir
    Path dir;

    private TrainingSettings settings(Architecture arch, Path data, int epochs, FineTuning fineTuning) {
        return TrainingSettings.builder().setData(data).setOut(dir.resolve("m")).setCacheDir(dir.resolve("cache"))
                .optArchitecture(arch).optInput(new InputSpec(32, 1)).optEpochs(epochs).optBatchSize(8)
                .optLearningRate(1e-2f).optValFraction(0.25).optAugment(false).optMaxBatches(2)
                .optFineTuning(fineTuning).build();
    }

    @Test
    void stagesAreFrozenBelowTheBlockAlwaysAndAllDuringTheHeadFirstEpochs() {
        FineTuning f = new FineTuning(2, 0.1f, 5);
        assertThat(f.frozen(4, 10)).isTrue();
        assertThat(f.frozen(5, 10)).isFalse();
        assertThat(f.frozen(18, 2)).isTrue();
        assertThat(f.frozen(18, 3)).isFalse();
        assertThat(FineTuning.NONE.frozen(0, 1)).isFalse();
    }

    @Test
    void badValuesNameTheRange() {
        assertThatThrownBy(() -> new FineTuning(-1, 1f, 0)).hasMessageContaining("outside [0, 10000]");
        assertThatThrownBy(() -> new FineTuning(0, 0f, 0)).hasMessageContaining("backboneLearningRateScale 0.0 is outside (0, 10]");
        assertThatThrownBy(() -> new FineTuning(0, 1f, -2)).hasMessageContaining("trainFromBlock -2");
        Path data = dir.resolve("d");
        assertThatThrownBy(() -> settings(Architecture.CNN_LSTM, data, 1, new FineTuning(1, 1f, 0)))
                .hasMessageContaining("need a pretrained architecture");
        assertThatThrownBy(() -> settings(Architecture.CNN_LSTM, data, 1, null)).hasMessageContaining("fineTuning");
        assertThatThrownBy(() -> settings(Architecture.MOBILENET_LSTM, data, 1, new FineTuning(0, 1f, 20)))
                .hasMessageContaining("trainFromBlock 20 is outside [0, 19]");
    }

    @Test
    void recipeRecordsTheScheduleOnlyForPretrainedNetworks() {
        Path data = dir.resolve("d");
        assertThat(settings(Architecture.MOBILENET_LSTM, data, 3, new FineTuning(1, 0.1f, 14)).recipe())
                .containsEntry("freezeBackboneEpochs", 1)
                .containsEntry("backboneLearningRateScale", (double) 0.1f)
                .containsEntry("trainFromBlock", 14)
                .containsKey("pretrained");
        TrainingSettings tuned = settings(Architecture.MOBILENET_LSTM, data, 3, new FineTuning(2, 0.5f, 9));
        assertThat(tuned.toBuilder().build().fineTuning()).isEqualTo(new FineTuning(2, 0.5f, 9));
        assertThat(tuned.withEpochs(5).fineTuning()).isEqualTo(new FineTuning(2, 0.5f, 9));
        assertThat(settings(Architecture.CNN_LSTM, data, 3, FineTuning.NONE).recipe())
                .doesNotContainKeys("freezeBackboneEpochs", "pretrained");
    }

    /** The backbone's stage parameters (copied to Java arrays) of a mobilenet-lstm network. */
    private static List<float[][]> stages(Block network) {
        List<float[][]> out = new ArrayList<>();
        for (Block stage : Architecture.MOBILENET_LSTM.backboneStages(network)) {
            List<float[]> values = new ArrayList<>();
            for (Pair<String, Parameter> p : stage.getParameters()) {
                values.add(p.getValue().getArray().toFloatArray());
            }
            out.add(values.toArray(new float[0][]));
        }
        return out;
    }

    private static List<float[][]> pretrained() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block fresh = Architecture.MOBILENET_LSTM.build(1);
            fresh.initialize(m, DataType.FLOAT32, new Shape(1, 1, 32, 32));
            List<float[][]> random = stages(fresh);
            Architecture.MOBILENET_LSTM.loadPretrained(fresh);
            List<float[][]> pretrained = stages(fresh);
            assertThat(pretrained.get(0)[0]).isNotEqualTo(random.get(0)[0]);
            return pretrained;
        }
    }

    private static void assertStages(List<float[][]> actual, List<float[][]> pretrained, int trainFrom) {
        for (int stage = 0; stage < trainFrom; stage++) {
            for (int p = 0; p < actual.get(stage).length; p++) {
                assertThat(actual.get(stage)[p]).as("stage %d (frozen)", stage)
                        .containsExactly(pretrained.get(stage)[p]);
            }
        }
        for (int stage = trainFrom; stage < actual.size(); stage++) {
            assertThat(actual.get(stage)[0]).as("stage %d (trained)", stage).isNotEqualTo(pretrained.get(stage)[0]);
        }
    }

    @Test
    void freshRunStartsFromImageNetWeightsFreezesTheLowerStagesAndTheSavedModelKeepsItsOwnWeights() throws Exception {
        Path data = SyntheticImages.blobDataset(dir.resolve("d"), 16, 32, 5);
        new TrainingLoop(settings(Architecture.MOBILENET_LSTM, data, 1, new FineTuning(0, 0.5f, 17)),
                TrainingProgress.SILENT).run(false, false);
        assertThat(ModelFiles.readInfo(dir.resolve("m")).training()).containsEntry("trainFromBlock", 17L)
                .containsEntry("freezeBackboneEpochs", 0L).containsEntry("backboneLearningRateScale", 0.5);
        try (Model model = Model.newInstance("loaded")) {
            ModelInfo info = ModelFiles.load(dir.resolve("m"), model);
            assertThat(info.architecture()).isEqualTo("mobilenet-lstm");
            // Stages 17 and 18 trained: the saved model holds its fine-tuned weights, not ImageNet's again.
            assertStages(stages(model.getBlock()), pretrained(), 17);
        }
        try (Detector detector = Detector.load(dir.resolve("m"))) {
            var prediction = detector.predictWithHeatmap(data.resolve("PNEUMONIA").toFile().listFiles()[0].toPath());
            assertThat(prediction.heatmap().values()).hasSize(32 * 32);
        }
    }

    @Test
    void headFirstEpochsLeaveTheBackboneAloneThenItTrains() throws Exception {
        Path data = SyntheticImages.blobDataset(dir.resolve("d"), 16, 32, 5);
        List<float[][]> pretrained = pretrained();
        TrainingLoop loop = new TrainingLoop(settings(Architecture.MOBILENET_LSTM, data, 1,
                new FineTuning(1, 1f, 18)), TrainingProgress.SILENT);
        loop.run(false, false);
        assertStages(lastCheckpoint(), pretrained, 19); // epoch 1: head only
        new TrainingLoop(settings(Architecture.MOBILENET_LSTM, data, 2, new FineTuning(1, 1f, 18)),
                TrainingProgress.SILENT).run(true, false);
        assertStages(lastCheckpoint(), pretrained, 18); // epoch 2: stage 18 trains too
    }

    /** The backbone stages of the last epoch's weights in the model folder's checkpoint. */
    private List<float[][]> lastCheckpoint() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = Architecture.MOBILENET_LSTM.build(1);
            block.initialize(m, DataType.FLOAT32, new Shape(1, 1, 32, 32));
            try (var in = new java.io.DataInputStream(new java.io.BufferedInputStream(java.nio.file.Files
                    .newInputStream(dir.resolve("m").resolve(Checkpoint.FOLDER).resolve("last.params"))))) {
                block.loadParameters(m, in);
            }
            return stages(block);
        }
    }
}
