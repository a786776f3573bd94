package org.pneumo.train;

import org.pneumo.data.LabelAuditFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.DataException;
import org.pneumo.data.InputSpec;
import org.pneumo.data.SyntheticImages;
import org.pneumo.model.Architecture;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;

class TrainingLoopTest {
    @TempDir
    static Path shared;

    static Path blobs;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeData() {
        blobs = SyntheticImages.blobDataset(shared.resolve("blobs"), 60, 48, 7);
    }

    private TrainingSettings settings(Architecture arch, int epochs, Path out) {
        return TrainingSettings.builder()
                .setData(blobs)
                .setOut(out)
                .setCacheDir(dir.resolve("cache"))
                .optArchitecture(arch)
                .optInput(new InputSpec(32, 1))
                .optEpochs(epochs)
                .optBatchSize(16)
                .optLearningRate(3e-3f)
                .optWeightDecay(1e-4f)
                .optValFraction(0.25)
                .optSeed(42)
                .optAugment(false)
                .build();
    }

    @Test
    @Tag("slow") // learning / several epochs of training
    void learnsAVisibleDifference() throws Exception {
        // PNEUMONIA images carry a bright blob: a working gradient and correct labels separate them in a few epochs.
        TrainingOutcome o = new TrainingLoop(settings(Architecture.CNN_LSTM, 8, dir.resolve("m")),
                TrainingProgress.SILENT).run(false, false);
        EpochRecord best = o.history().get(o.bestEpoch() - 1);
        assertThat(best.valAuc()).isGreaterThan(0.95);
        assertThat((Double) o.info().validation().get("accuracy")).isGreaterThan(0.9);
        assertThat(o.validationImages()).isEqualTo(30);
        assertThat(o.trainImages()).isEqualTo(90);

        ModelInfo info = ModelFiles.readInfo(dir.resolve("m"));
        assertThat(info.threshold().method()).contains("Youden");
        byte[] weights = Files.readAllBytes(dir.resolve("m").resolve(ModelFiles.WEIGHTS_FILE));
        assertThat(info.modelId()).isEqualTo(o.info().modelId()).startsWith("cnn-lstm-").endsWith("-"
                + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(weights), 0, 4));
        assertThat(info.training()).containsEntry("seed", 42L).containsEntry("architecture", "cnn-lstm");
        assertThat(info.data()).containsKey("fingerprint");
        assertThat(TrainingHistory.read(dir.resolve("m").resolve(TrainingHistory.FILE))).hasSize(8);
        List<String> split = Files.readAllLines(dir.resolve("m").resolve(org.pneumo.model.SplitFile.FILE));
        assertThat(split.get(0)).isEqualTo("file,label,patient,side");
        assertThat(split.stream().filter(l -> l.endsWith(",validation")).count()).isEqualTo(30);
        assertThat(split.stream().filter(l -> l.endsWith(",train")).count()).isEqualTo(90);
    }

    @Test
    @Tag("slow") // learning / several epochs of training
    void seedNetworkTrainsToo() throws Exception {
        TrainingOutcome o = new TrainingLoop(settings(Architecture.SEED, 1, dir.resolve("s")),
                TrainingProgress.SILENT).run(false, false);
        assertThat(o.history()).hasSize(1);
        assertThat(o.info().architecture()).isEqualTo("seed");
        assertThat(o.info().parameterCount()).isEqualTo(37_378 - 576); // one input channel instead of three
    }

    /** Simulates a kill: the run dies in the middle of epoch 2, after epoch 1's checkpoint was written. */
    private static final class KillDuringEpoch implements TrainingProgress {
        private final int epochToKill;
        private int epoch;

        KillDuringEpoch(int epochToKill) {
            this.epochToKill = epochToKill;
        }

        @Override
        public void epochStarted(int epoch, int epochs, int batches) {
            this.epoch = epoch;
        }

        @Override
        public void batchFinished(int batch, int batches, double loss, double accuracy, double imagesPerSecond) {
            if (epoch == epochToKill && batch == 2) {
                throw new IllegalStateException("simulated kill");
            }
        }
    }

    @Test
    @Tag("slow") // learning / several epochs of training
    void resumeContinuesAfterTheLastFinishedEpochWithoutGapOrRepeat() throws Exception {
        Path out = dir.resolve("r");
        TrainingSettings s = settings(Architecture.CNN_LSTM, 3, out);
        assertThatThrownBy(() -> new TrainingLoop(s, new KillDuringEpoch(2)).run(false, false))
                .hasMessageContaining("simulated kill");
        assertThat(out.resolve("checkpoint/state.json")).exists();
        assertThat(out.resolve("model.json")).doesNotExist();

        assertThatThrownBy(() -> new TrainingLoop(s, TrainingProgress.SILENT).run(false, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use resume to continue its run, overwrite to replace it, or another out");

        TrainingOutcome o = new TrainingLoop(s, TrainingProgress.SILENT).run(true, false);
        assertThat(o.history()).extracting(EpochRecord::epoch).containsExactly(1, 2, 3);
        List<EpochRecord> saved = TrainingHistory.read(out.resolve(TrainingHistory.FILE));
        assertThat(saved).extracting(EpochRecord::epoch).containsExactly(1, 2, 3);
        assertThat(out.resolve("model.json")).exists();

        // A finished run can be extended with more epochs.
        TrainingOutcome more = new TrainingLoop(s.withEpochs(4), TrainingProgress.SILENT).run(true, false);
        assertThat(more.history()).extracting(EpochRecord::epoch).containsExactly(1, 2, 3, 4);
        assertThat(more.history().subList(0, 3)).isEqualTo(o.history());
        double floor = TrainingLoop.learningRate(s, 1, 2);
        assertThat(floor).isCloseTo(0.05 * s.learningRate(), within(1e-9));
        assertThat(more.history().get(3).learningRate()).isEqualTo(floor);

        // Extended in the middle: the epochs of the original run keep its cosine schedule, the extra one its floor.
        Path cut = dir.resolve("cut");
        TrainingSettings three = settings(Architecture.CNN_LSTM, 3, cut);
        assertThatThrownBy(() -> new TrainingLoop(three, new KillDuringEpoch(2)).run(false, false))
                .hasMessageContaining("simulated kill");
        TrainingOutcome extended = new TrainingLoop(three.withEpochs(4), TrainingProgress.SILENT).run(true, false);
        assertThat(extended.history()).extracting(EpochRecord::learningRate).containsExactly(
                o.history().get(0).learningRate(), o.history().get(1).learningRate(),
                o.history().get(2).learningRate(), floor);
    }

    @Test
    void resumeRefusesOtherSettings() throws Exception {
        Path out = dir.resolve("x");
        TrainingSettings s = settings(Architecture.SEED, 1, out);
        new TrainingLoop(s, TrainingProgress.SILENT).run(false, false);
        TrainingSettings other = settings(Architecture.SEED, 2, out).toBuilder().optBatchSize(8).build();
        assertThatThrownBy(() -> new TrainingLoop(other, TrainingProgress.SILENT).run(true, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchSize 16 -> 8");
        assertThatThrownBy(() -> new TrainingLoop(settings(Architecture.SEED, 1, dir.resolve("none")),
                TrainingProgress.SILENT).run(true, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nothing to resume");
    }

    @Test
    void targetSensitivityChoosesTheThreshold() throws Exception {
        TrainingSettings s = settings(Architecture.SEED, 1, dir.resolve("ts")).toBuilder().optWeightDecay(0)
                .optTargetSensitivity(0.9).build();
        TrainingOutcome o = new TrainingLoop(s, TrainingProgress.SILENT).run(false, false);
        assertThat(o.info().threshold().method()).isEqualTo("highest threshold with validation sensitivity >= 0.9");
        assertThat((Double) o.info().validation().get("sensitivity")).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void theDataFolderIsRecordedAsGivenAndTheSplitIsFoundWhereverTheImagesMove() throws Exception {
        Path relative = Path.of("").toAbsolutePath().relativize(blobs.toAbsolutePath());
        Path out = dir.resolve("as-given");
        new TrainingLoop(settings(Architecture.SEED, 1, out).toBuilder().setData(relative).optWeightDecay(0).build(),
                TrainingProgress.SILENT).run(false, false);
        ModelInfo info = ModelFiles.readInfo(out);
        assertThat(info.dataProvenance().folder()).isEqualTo(relative.normalize().toString());
        String machine = shared.toAbsolutePath().toString();
        // (The relative path names the temporary folder too, but never from the root.)
        assertThat(Files.readString(out.resolve(ModelFiles.INFO_FILE))).doesNotContain("\"" + machine);
        assertThat(Files.readString(out.resolve(org.pneumo.model.SplitFile.FILE))).doesNotContain(machine);
        assertThat(info.threshold().placement()).isEqualTo(org.pneumo.eval.ThresholdRule.PLACEMENT);

        // The same images at another place (another machine, another working directory): the same validation split.
        Path moved = dir.resolve("moved");
        try (var files = Files.walk(blobs)) {
            for (Path f : files.toList()) {
                Files.copy(f, moved.resolve(blobs.relativize(f).toString()));
            }
        }
        List<Path> here = org.pneumo.infer.ModelEvaluator.validationImages(out, info, blobs).stream()
                .map(i -> blobs.relativize(i.file())).toList();
        List<Path> there = org.pneumo.infer.ModelEvaluator.validationImages(out, info, moved).stream()
                .map(i -> moved.relativize(i.file())).toList();
        assertThat(there).hasSize(30).isEqualTo(here);
    }

    @Test
    void maxBatchesCapsEveryEpoch() throws Exception {
        TrainingSettings s = settings(Architecture.SEED, 1, dir.resolve("c")).toBuilder().optBatchSize(8)
                .optLearningRate(1e-3f).optWeightDecay(0).optAugment(true).optMaxBatches(2).build();
        int[] batches = new int[1];
        new TrainingLoop(s, new TrainingProgress() {
            @Override
            public void batchFinished(int batch, int total, double l, double a, double ips) {
                batches[0] = total;
            }
        }).run(false, false);
        assertThat(batches[0]).isEqualTo(2);
    }

    /** An audit of the blobs folder calling every fifth image of each class a suspect. */
    private Path auditOfBlobs(String fingerprint) throws Exception {
        List<org.pneumo.data.LabeledImage> listed = org.pneumo.data.ImageFolder.list(blobs, true,
                new org.pneumo.data.BadFilePolicy(false, l -> { }));
        List<LabelAuditFile.Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            org.pneumo.data.LabeledImage image = listed.get(i);
            entries.add(new LabelAuditFile.Entry(LabelAuditFile.relative(blobs, image.file()), image.label(),
                    image.patientId(), 1 + i % 3, image.label().index() == 1 ? 0.1 : 0.9, i % 5 == 0));
        }
        Path file = dir.resolve("audit.csv");
        LabelAuditFile.write(file, new LabelAuditFile.Result(entries, 3, 1,
                fingerprint == null ? org.pneumo.data.DataFingerprint.of(listed) : fingerprint, 0.9,
                new double[] {0.9, 0.9}));
        return file;
    }

    @Test
    void aLabelAuditWeightsTrainingSuspectsAndLeavesValidationSuspectsOutOfTheChoice() throws Exception {
        Path out = dir.resolve("audited");
        TrainingSettings s = settings(Architecture.SEED, 1, out).toBuilder().optLabelAudit(auditOfBlobs(null))
                .optSuspectWeight(0.5f).optLabelSmoothing(0.1f).build();
        TrainingOutcome o = new TrainingLoop(s, TrainingProgress.SILENT).run(false, false);
        assertThat(o.trainImages()).isEqualTo(90); // weighted, not removed
        assertThat(o.validationImages()).isLessThan(30).isGreaterThan(15); // about a fifth left out
        List<String> split = Files.readAllLines(out.resolve(org.pneumo.model.SplitFile.FILE));
        assertThat(split.stream().filter(l -> l.endsWith(",validation")).count()).isEqualTo(30);
        ModelInfo info = ModelFiles.readInfo(out);
        assertThat(info.training()).containsEntry("suspectWeight", 0.5).containsKey("labelSmoothing");
        assertThat((String) info.training().get("labelAuditApplied")).contains("training: ", "weighted 0.5",
                (30 - o.validationImages()) + " suspects", "left out of the epoch and threshold choice");

        TrainingSettings kept = s.toBuilder().setOut(dir.resolve("kept")).optValidationSuspects(true).build();
        assertThat(new TrainingLoop(kept, TrainingProgress.SILENT).run(false, false).validationImages())
                .isEqualTo(30);
    }

    @Test
    void aLabelAuditOfOtherImagesIsRefused() throws Exception {
        TrainingSettings s = settings(Architecture.SEED, 1, dir.resolve("other")).toBuilder()
                .optLabelAudit(auditOfBlobs("0000other")).build();
        assertThatThrownBy(() -> new TrainingLoop(s, TrainingProgress.SILENT).run(false, false))
                .isInstanceOf(DataException.class).hasMessageContaining("labelAudit")
                .hasMessageContaining("0000other").hasMessageContaining("audit this folder again");
    }

    @Test
    void calibrationIsFittedOnValidationWhenAsked() throws Exception {
        TrainingOutcome on = new TrainingLoop(settings(Architecture.SEED, 1, dir.resolve("cal")).toBuilder()
                .optCalibrate(true).build(), TrainingProgress.SILENT).run(false, false);
        ModelInfo.Calibration c = ModelFiles.readInfo(dir.resolve("cal")).calibration();
        assertThat(c).isNotNull().isEqualTo(on.info().calibration());
        assertThat(c.temperature()).isBetween(0.02, 50.0);
        assertThat(c.images()).isEqualTo(30);
        assertThat(c.eceBefore()).isBetween(0.0, 1.0); // the NLL is what the temperature minimises, not the ECE
        assertThat(c.eceAfter()).isBetween(0.0, 1.0);
        assertThat(on.info().training()).containsEntry("calibration",
                "temperature scaling fitted on the validation split (kept epoch)");

        TrainingSettings off = settings(Architecture.SEED, 1, dir.resolve("raw"));
        new TrainingLoop(off, TrainingProgress.SILENT).run(false, false);
        ModelInfo raw = ModelFiles.readInfo(dir.resolve("raw"));
        assertThat(raw.calibration()).isNull();
        assertThat(raw.temperature()).isEqualTo(1.0);
        assertThat(raw.training()).doesNotContainKey("calibration");
    }

    @Test
    void tooFewImagesToSplitIsADataError() throws Exception {
        Path tiny = SyntheticImages.blobDataset(dir.resolve("tiny"), 1, 32, 1);
        TrainingSettings s = settings(Architecture.SEED, 1, dir.resolve("t")).toBuilder().setData(tiny).optBatchSize(8)
                .optLearningRate(1e-3f).optWeightDecay(0).optValFraction(0.2).optAugment(true).build();
        assertThatThrownBy(() -> new TrainingLoop(s, TrainingProgress.SILENT).run(false, false))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("validation side of the split has no");
        assertThat(Files.exists(dir.resolve("t/model.json"))).isFalse();
    }

    @Test
    void everySummaryCountsTheSameSkippedFiles() throws Exception {
        // One file skipped by its name while listing, one while decoding: every count must say 2.
        Path data = SyntheticImages.blobDataset(dir.resolve("bad"), 20, 32, 3);
        Files.writeString(data.resolve("NORMAL/notes.txt"), "not an image");
        Files.write(data.resolve("PNEUMONIA/broken.png"), new byte[] {1, 2, 3});
        List<String> messages = new java.util.ArrayList<>();
        TrainingSettings s = settings(Architecture.SEED, 1, dir.resolve("sk")).toBuilder().setData(data).build();
        TrainingOutcome o = new TrainingLoop(s, new TrainingProgress() {
            @Override
            public void message(String text) {
                messages.add(text);
            }
        }).run(false, false);
        assertThat(o.skippedFiles()).isEqualTo(2);
        assertThat(o.info().data()).containsEntry("skippedFiles", 2);
        assertThat(ModelFiles.readInfo(dir.resolve("sk")).data()).containsEntry("skippedFiles", 2L);
        assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("data:").contains(", 2 skipped;"));
    }

    @Test
    void consecutiveStepsDrawUnrelatedAugmentations() {
        // The first draw of each step's stream decides the first image's rotation: it must spread over [0, 1).
        double min = 1;
        double max = 0;
        for (int step = 0; step < 50; step++) {
            double first = TrainingLoop.stream(42, 2, 3, step).nextDouble();
            min = Math.min(min, first);
            max = Math.max(max, first);
        }
        assertThat(max - min).isGreaterThan(0.8);
        assertThat(TrainingLoop.stream(42, 2, 3, 7).nextLong()).isEqualTo(TrainingLoop.stream(42, 2, 3, 7).nextLong());
    }
}
