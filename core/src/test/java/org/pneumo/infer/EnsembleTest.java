package org.pneumo.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.ImageDecoder;
import org.pneumo.data.InputSpec;
import org.pneumo.data.SyntheticImages;
import org.pneumo.eval.ThresholdRule;
import org.pneumo.model.Architecture;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;
import org.pneumo.model.ModelLoadException;
import org.pneumo.train.TrainingLoop;
import org.pneumo.train.TrainingProgress;
import org.pneumo.train.TrainingSettings;

class EnsembleTest {
    @TempDir
    static Path dir;

    static Path data;
    static Path seedModel;
    static Path cnnModel;
    static Path ensemble;

    private static Path train(Architecture arch, long seed, String name) throws Exception {
        Path out = dir.resolve(name);
        new TrainingLoop(TrainingSettings.builder().setData(data).setOut(out).setCacheDir(dir.resolve("cache"))
                .optArchitecture(arch).optInput(new InputSpec(32, 1)).optEpochs(2).optBatchSize(16)
                .optLearningRate(3e-3f).optValFraction(0.25).optSeed(seed).optAugment(false).build(),
                TrainingProgress.SILENT).run(false, false);
        return out;
    }

    @BeforeAll
    static void trainMembers() throws Exception {
        data = SyntheticImages.blobDataset(dir.resolve("data"), 24, 48, 5);
        seedModel = train(Architecture.SEED, 42, "seed");
        cnnModel = train(Architecture.CNN_LSTM, 42, "cnn");
        ensemble = dir.resolve("ensemble");
        Ensemble.create(List.of(seedModel, cnnModel), ensemble, data, ThresholdRule.youden(), null, 16, n -> k -> { });
    }

    @Test
    void theFolderHoldsTheMembersWithoutCheckpointsAndRecordsHowItWasMade() throws Exception {
        ModelInfo info = ModelFiles.readInfo(ensemble);
        assertThat(info.architecture()).isEqualTo(ModelInfo.ENSEMBLE);
        assertThat(info.members()).hasSize(2).allSatisfy(m -> assertThat(ensemble.resolve(m)).isDirectory());
        assertThat(ensemble.resolve(info.members().get(0)).resolve("checkpoint")).doesNotExist();
        assertThat(ensemble.resolve(info.members().get(0)).resolve(ModelFiles.WEIGHTS_FILE)).exists();
        assertThat(info.threshold().method()).contains("Youden");
        assertThat(info.validationFigures().images()).isEqualTo(12);
        assertThat(info.training()).containsEntry("combination", Ensemble.COMBINATION);
        assertThat(info.parameterCount()).isEqualTo(ModelFiles.readInfo(seedModel).parameterCount()
                + ModelFiles.readInfo(cnnModel).parameterCount());
        assertThatThrownBy(() -> ModelFiles.load(ensemble, ai.djl.Model.newInstance("x")))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("is an ensemble of 2 models");
    }

    @Test
    void itsProbabilityIsTheMeanOfTheMembersAndItServesLikeOneModel() throws Exception {
        ImageDecoder decoder = new ImageDecoder(new InputSpec(32, 1));
        List<byte[]> pixels = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path f = SyntheticImages.write(SyntheticImages.noisy(48, i % 2 == 0, new Random(i), null),
                    dir.resolve("x" + i + ".png"), "png");
            pixels.add(decoder.decode(f));
        }
        try (Detector a = Detector.load(seedModel); Detector b = Detector.load(cnnModel);
                Detector e = Detector.load(ensemble)) {
            List<Double> pa = a.probabilities(pixels);
            List<Double> pb = b.probabilities(pixels);
            List<Double> pe = e.probabilities(pixels);
            for (int i = 0; i < pixels.size(); i++) {
                assertThat(pe.get(i)).isCloseTo((pa.get(i) + pb.get(i)) / 2, within(1e-6));
            }
            assertThat(e.hasScopeGuard()).isTrue();
            assertThat(e.info().modelId()).startsWith("ensemble-");
            Prediction p = e.predictWithHeatmap(dir.resolve("x0.png"));
            assertThat(p.modelId()).isEqualTo(e.info().modelId());
            assertThat(p.heatmap().width()).isEqualTo(32);
            float max = 0;
            for (float v : p.heatmap().values()) {
                assertThat(v).isBetween(0f, 1f);
                max = Math.max(max, v);
            }
            assertThat(max).isEqualTo(1f);
            assertThat(p.scope().inScope()).isNotNull();
        }
    }

    @Test
    void itsThresholdCanBeChosenAgainLikeAnyModels() throws Exception {
        Path copy = dir.resolve("ensemble-copy");
        Ensemble.create(List.of(seedModel, cnnModel), copy, data, ThresholdRule.sensitivity(1.0), null, 16,
                n -> k -> { });
        ValidationThreshold.Choice c = ValidationThreshold.choose(copy, data, ThresholdRule.youden(), 16,
                Instant.now(), n -> k -> { });
        assertThat(c.threshold()).isEqualTo(ModelFiles.readInfo(ensemble).threshold().value());
    }

    @Test
    void membersMustShareInputAndValidationAndBeSingleNetworks() throws Exception {
        assertThatThrownBy(() -> Ensemble.create(List.of(seedModel), dir.resolve("one"), data,
                ThresholdRule.youden(), null, 16, n -> k -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2");
        assertThatThrownBy(() -> Ensemble.create(List.of(seedModel, ensemble), dir.resolve("nested"), data,
                ThresholdRule.youden(), null, 16, n -> k -> { })).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("is itself an ensemble");
        Path otherSplit = train(Architecture.SEED, 7, "seed-7");
        assertThatThrownBy(() -> Ensemble.create(List.of(seedModel, otherSplit), dir.resolve("mixed"), data,
                ThresholdRule.youden(), null, 16, n -> k -> { })).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("validated on different images");
        assertThat(dir.resolve("mixed")).doesNotExist();
    }

    @Test
    void aLabelAuditLeavesValidationSuspectsOutOfTheThresholdChoice() throws Exception {
        List<org.pneumo.data.LabeledImage> listed = org.pneumo.data.ImageFolder.list(data, true,
                new org.pneumo.data.BadFilePolicy(false, l -> { }));
        List<org.pneumo.data.LabelAuditFile.Entry> entries = new ArrayList<>();
        for (org.pneumo.data.LabeledImage image : listed) {
            // Every PNEUMONIA image is a suspect but one per ten: what is left decides the threshold.
            boolean suspect = image.label() == org.pneumo.data.Diagnosis.PNEUMONIA && entries.size() % 10 != 0;
            entries.add(new org.pneumo.data.LabelAuditFile.Entry(org.pneumo.data.LabelAuditFile.relative(data,
                    image.file()), image.label(), image.patientId(), 1, 0.5, suspect));
        }
        Path audit = dir.resolve("audit.csv");
        org.pneumo.data.LabelAuditFile.write(audit, new org.pneumo.data.LabelAuditFile.Result(entries, 2, 1,
                org.pneumo.data.DataFingerprint.of(listed), 0.9, new double[] {0.9, 0.9}));
        ModelInfo info = Ensemble.create(List.of(seedModel, cnnModel), dir.resolve("audited"), data,
                ThresholdRule.youden(), audit, 16, n -> k -> { });
        assertThat(info.threshold().method()).endsWith("(validation images the label audit contradicts left out)");
        assertThat(info.training()).containsEntry("labelAudit", audit.toString());

        Path other = dir.resolve("other-audit.csv");
        org.pneumo.data.LabelAuditFile.write(other, new org.pneumo.data.LabelAuditFile.Result(entries, 2, 1,
                "sha256:other", 0.9, new double[] {0.9, 0.9}));
        assertThatThrownBy(() -> Ensemble.create(List.of(seedModel, cnnModel), dir.resolve("wrong"), data,
                ThresholdRule.youden(), other, 16, n -> k -> { })).isInstanceOf(org.pneumo.data.DataException.class)
                .hasMessageContaining("made on other images");
    }

    @Test
    void theMostAtypicalVerdictWins() {
        ScopeVerdict in = ScopeVerdict.of(1, 5, 0.3);
        ScopeVerdict inHigher = ScopeVerdict.of(2, 5, 0.6);
        ScopeVerdict out = ScopeVerdict.of(9, 5, 1.0);
        assertThat(Detector.atypical(in, inHigher)).isSameAs(inHigher);
        assertThat(Detector.atypical(out, inHigher)).isSameAs(out);
        assertThat(Detector.atypical(in, ScopeVerdict.unavailable()).inScope()).isNull();
        assertThat(Detector.atypical(null, in)).isSameAs(in);
    }

    @Test
    void heatmapsAverageAndRescale() {
        Heatmap a = new Heatmap(2, 1, new float[] {1f, 0f});
        Heatmap b = new Heatmap(2, 1, new float[] {0.5f, 0.5f});
        assertThat(Heatmap.mean(List.of(a, b)).values()).containsExactly(1f, 1f / 3);
        assertThatThrownBy(() -> Heatmap.mean(List.of(a, new Heatmap(1, 1, new float[] {1f}))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be averaged");
        assertThatThrownBy(() -> Heatmap.mean(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
