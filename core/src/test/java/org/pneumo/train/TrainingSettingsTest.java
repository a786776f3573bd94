package org.pneumo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.pneumo.data.InputSpec;
import org.pneumo.model.Architecture;

class TrainingSettingsTest {
    private static TrainingSettings.Builder required() {
        return TrainingSettings.builder().setData(Path.of("d")).setOut(Path.of("o")).setCacheDir(Path.of("c"));
    }

    @Test
    void optionalSettingsDefaultToTheCommandLineDefaults() {
        TrainingSettings s = required().build();
        assertThat(s.architecture()).isEqualTo(Architecture.CNN_LSTM);
        assertThat(s.input()).isEqualTo(new InputSpec(224, 1));
        assertThat(s.epochs()).isEqualTo(20);
        assertThat(s.batchSize()).isEqualTo(32);
        assertThat(s.learningRate()).isEqualTo(1e-3f);
        assertThat(s.weightDecay()).isEqualTo(1e-4f);
        assertThat(s.valFraction()).isEqualTo(0.2);
        assertThat(s.seed()).isEqualTo(42);
        assertThat(s.classWeights()).isTrue();
        assertThat(s.augment()).isTrue();
        assertThat(s.patience()).isZero();
        assertThat(s.maxBatches()).isZero();
        assertThat(s.strict()).isFalse();
        assertThat(s.targetSensitivity()).isNaN();
        assertThat(s.thresholdRule()).contains("Youden");
        assertThat(s.labelSmoothing()).isZero();
        assertThat(s.labelAudit()).isNull();
        assertThat(s.suspectWeight()).isZero();
        assertThat(s.validationSuspects()).isFalse();
        // Unused levers stay out of the recipe, so checkpoints made before they existed still resume.
        assertThat(s.recipe()).doesNotContainKeys("labelSmoothing", "labelAudit", "suspectWeight");
    }

    @Test
    void labelLeversAreRecordedWhenUsed() {
        TrainingSettings s = required().optLabelSmoothing(0.1f).optLabelAudit(Path.of("audit.csv"))
                .optSuspectWeight(0.25f).build();
        assertThat(s.recipe()).containsEntry("labelSmoothing", (double) 0.1f).containsEntry("labelAudit", "audit.csv")
                .containsEntry("suspectWeight", 0.25).containsEntry("validationSuspects",
                        "left out of epoch and threshold choice");
        assertThat(s.toBuilder().build().recipe()).isEqualTo(s.recipe());
    }

    @Test
    void requiredSettingsAreNamedWhenMissing() {
        assertThatThrownBy(() -> TrainingSettings.builder().setOut(Path.of("o")).setCacheDir(Path.of("c")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("data is required");
        assertThatThrownBy(() -> TrainingSettings.builder().setData(Path.of("d")).setCacheDir(Path.of("c")).build())
                .hasMessage("out is required");
        assertThatThrownBy(() -> TrainingSettings.builder().setData(Path.of("d")).setOut(Path.of("o")).build())
                .hasMessage("cacheDir is required");
    }

    @Test
    void outOfRangeValuesNameTheSettingAndItsRange() {
        expect(b -> b.optEpochs(0), "epochs 0 is outside [1, 10000]");
        expect(b -> b.optEpochs(10_001), "epochs 10001 is outside [1, 10000]");
        expect(b -> b.optBatchSize(0), "batchSize 0 is outside [1, 4096]");
        expect(b -> b.optLearningRate(0), "learningRate 0.0 is outside (0, 1]");
        expect(b -> b.optWeightDecay(1), "weightDecay 1.0 is outside [0, 1)");
        expect(b -> b.optValFraction(1), "valFraction 1.0 is outside (0, 1)");
        expect(b -> b.optPatience(-1), "patience -1 is outside [0, 10000]");
        expect(b -> b.optMaxBatches(-1), "maxBatches -1 is outside [0, 2147483647]");
        expect(b -> b.optTargetSensitivity(0), "targetSensitivity 0.0 is outside (0, 1]");
        expect(b -> b.optArchitecture(null), "architecture is required");
        expect(b -> b.optLabelSmoothing(0.5f), "labelSmoothing 0.5 is outside [0, 0.5)");
        expect(b -> b.optSuspectWeight(1.5f), "suspectWeight 1.5 is outside [0, 1]");
    }

    private static void expect(UnaryOperator<TrainingSettings.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(required()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void toBuilderKeepsEverySettingAndWithEpochsChangesOnlyTheEpochs() {
        TrainingSettings s = required().optArchitecture(Architecture.SEED).optInput(new InputSpec(64, 3))
                .optEpochs(3).optBatchSize(8).optLearningRate(0.01f).optWeightDecay(0).optValFraction(0.3)
                .optSeed(7).optClassWeights(false).optAugment(false).optPatience(2).optMaxBatches(5).optStrict(true)
                .optTargetSensitivity(0.95).build();
        TrainingSettings copy = s.toBuilder().build();
        assertThat(copy.recipe()).isEqualTo(s.recipe());
        assertThat(copy.strict()).isTrue();
        assertThat(copy.data()).isEqualTo(s.data());
        TrainingSettings longer = s.withEpochs(9);
        assertThat(longer.epochs()).isEqualTo(9);
        java.util.Map<String, Object> a = new java.util.HashMap<>(s.recipe());
        java.util.Map<String, Object> b = new java.util.HashMap<>(longer.recipe());
        assertThat(b.remove("epochs")).isEqualTo(9);
        a.remove("epochs");
        assertThat(b).isEqualTo(a);
    }
}
