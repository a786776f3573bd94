package org.pneumo.train;

import org.pneumo.data.LabelAuditFile;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.training.ParameterStore;
import org.pneumo.model.InputTensors;
import org.pneumo.model.NetworkPass;
import org.pneumo.model.PneumoniaProbability;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.pneumo.data.Augmentation;
import org.pneumo.data.BadFilePolicy;
import org.pneumo.data.Batch;
import org.pneumo.data.DataException;
import org.pneumo.data.DataFingerprint;
import org.pneumo.data.Diagnosis;
import org.pneumo.data.ImageCache;
import org.pneumo.data.ImageDecoder;
import org.pneumo.data.ImageFolder;
import org.pneumo.data.ImageSet;
import org.pneumo.data.LabeledImage;
import org.pneumo.data.PatientSplit;
import org.pneumo.data.SettingException;
import org.pneumo.eval.ConfusionMatrix;
import org.pneumo.eval.RankMetrics;
import org.pneumo.eval.TemperatureScaling;
import org.pneumo.eval.ThresholdRule;
import org.pneumo.io.AtomicFiles;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;
import org.pneumo.model.Provenance;
import org.pneumo.model.SplitFile;

/**
 * Trains a network from a data folder into a model folder: decode (cached), split by patient, train with Adam and a
 * class-weighted loss, validate every epoch, checkpoint every epoch, keep the best epoch, choose the operating
 * threshold on validation, and write the model atomically. A run killed at any point continues with {@code resume}.
 */
public final class TrainingLoop {
    private final TrainingSettings settings;
    private final TrainingProgress progress;

    public TrainingLoop(TrainingSettings settings, TrainingProgress progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Runs the training: {@link #prepareData}, {@link #trainEpochs}, {@link #chooseThreshold} on the kept epoch's
     * validation scores, then {@link #writeModel}.
     *
     * @param resume continue the run whose checkpoint is in the output folder
     * @param overwrite replace an existing model or unfinished run in the output folder
     */
    public TrainingOutcome run(boolean resume, boolean overwrite) throws IOException {
        long started = System.nanoTime();
        Path out = settings.out();
        Checkpoint checkpoint = new Checkpoint(out.resolve(Checkpoint.FOLDER));
        checkOutputFolder(out, checkpoint, resume, overwrite);
        Checkpoint.State state = resume ? checkpoint.readState() : null;
        PreparedData data = prepareData(state);
        TrainingSettings s = settings;

        Engine.getInstance().setRandomSeed((int) s.seed());
        float[] weights = s.classWeights() ? WeightedSoftmaxCrossEntropy.balanced(data.weightedClassCounts())
                : new float[] {1, 1};
        WeightedSoftmaxCrossEntropy loss = new WeightedSoftmaxCrossEntropy(weights, s.labelSmoothing());
        try (Model model = Model.newInstance("pneumo-" + s.architecture().id(), Device.cpu())) {
            Block block = s.architecture().build(s.input().channels());
            block.initialize(model.getNDManager(), DataType.FLOAT32, inputShape(s));
            if (state == null) {
                s.architecture().loadPretrained(block); // a resumed run restores its own weights below
            }
            StatefulAdam adam = new StatefulAdam(model.getNDManager(), s.learningRate(), s.weightDecay());
            for (Block stage : s.architecture().backboneStages(block)) {
                for (var p : stage.getParameters()) {
                    adam.setLearningRateScale(p.getValue().getId(), s.fineTuning().backboneLearningRateScale());
                }
            }
            if (state != null) {
                checkpoint.restore(block, adam, model.getNDManager());
                progress.message("resuming after epoch " + state.history().size() + " of " + s.epochs()
                        + " (best so far: epoch " + state.bestEpoch() + ")");
            }
            model.setBlock(block);
            progress.message(String.format("network: %s, %,d parameters, input %dx%dx%d, class weights NORMAL %.3f"
                            + " PNEUMONIA %.3f, augmentation %s", s.architecture().id(),
                    ModelFiles.parameterCount(block), s.input().imageSize(), s.input().imageSize(),
                    s.input().channels(), weights[0], weights[1], s.augment() ? "on" : "off"));
            EpochsRun epochs = trainEpochs(model, adam, loss, data, state, checkpoint);
            // Keep the best epoch's weights, choose the threshold on validation with them, write the model.
            checkpoint.loadBest(block, model.getNDManager());
            Scores scores = score(model, loss, data.validation(), s);
            ModelInfo.Calibration calibration = null;
            if (s.calibrate()) {
                // Temperature scaling first, so that the threshold is chosen on the probabilities the model reports.
                TemperatureScaling.Fit fit = TemperatureScaling.fitAndMeasure(scores.truth, scores.probabilities);
                calibration = new ModelInfo.Calibration(fit.temperature(), TemperatureScaling.METHOD,
                        "validation split (kept epoch)", scores.truth.length, fit.eceBefore(), fit.eceAfter());
                scores = new Scores(scores.truth, fit.calibrated(), scores.loss);
                progress.message(String.format(java.util.Locale.ROOT, "calibration: temperature %.3f; expected"
                        + " calibration error on validation %.4f -> %.4f", fit.temperature(), fit.eceBefore(),
                        fit.eceAfter()));
            }
            double threshold = chooseThreshold(scores);
            ModelInfo info = writeModel(block, data, epochs, scores, threshold, checkpoint, calibration);
            // The out-of-scope guard, on the kept weights' features: fitted on the training images, cut on validation.
            progress.message("out-of-scope guard: fitting on " + data.train().size() + " training images, cut on "
                    + data.validation().size() + " validation images");
            // The in-memory info keeps its typed values; only the guard's description is added.
            info = info.withScope(ScopeGuardFit.fitAndStore(out, model, s.architecture(), data.train(),
                    data.validation(), ScopeGuardFit.DEFAULT_PERCENTILE, s.batchSize(), n -> { }).scope());
            double seconds = (System.nanoTime() - started) / 1e9;
            return new TrainingOutcome(out, info, epochs.history(), epochs.best().epoch(), epochs.stoppedEarly(),
                    data.train().size(), data.validation().size(), data.skippedFiles(), seconds);
        }
    }

    /**
     * The images of a run: the training folder listed, decoded (through the cache) and split by patient.
     *
     * @param folder the split folder the images were listed from
     * @param fingerprint the data fingerprint of the listed files (checked on resume and on evaluation)
     * @param all every image that decoded, with the skipped files
     */
    record PreparedData(Path folder, String fingerprint, ImageSet all, ImageSet train, ImageSet validation,
            Audited audited) {
        PreparedData(Path folder, String fingerprint, ImageSet all, ImageSet train, ImageSet validation) {
            this(folder, fingerprint, all, train, validation, null);
        }

        /** Files left out: not an image by name, or not decodable (the one count every summary prints). */
        int skippedFiles() {
            return all.skipped().size();
        }

        /** The loss weight of each training image, in {@code train}'s order (1 without a label audit). */
        float weight(int trainIndex) {
            return audited == null ? 1f : audited.trainWeights()[trainIndex];
        }

        /** Training images per class, each counted with its loss weight. */
        double[] weightedClassCounts() {
            double[] counts = new double[2];
            for (int i = 0; i < train.size(); i++) {
                counts[train.label(i)] += weight(i);
            }
            return counts;
        }

        /** The validation side as split.csv records it: every validation image, suspects included. */
        List<LabeledImage> validationSplit() {
            return audited == null ? validation.images() : audited.validationSplit();
        }
    }

    /**
     * What a label audit changed: each training image's loss weight, the full validation side (the run's
     * {@code validation} may leave suspects out), and a description for {@code model.json}.
     */
    record Audited(float[] trainWeights, List<LabeledImage> validationSplit, String description) {}

    /** Lists, decodes and splits the training images, checking a resumed run's settings and data. */
    PreparedData prepareData(Checkpoint.State state) throws IOException {
        BadFilePolicy policy = new BadFilePolicy(settings.strict(), progress::warning);
        Path trainFolder = ImageFolder.resolveSplit(settings.data(), "train");
        List<LabeledImage> listed = ImageFolder.list(trainFolder, true, policy);
        String fingerprint = DataFingerprint.of(listed);
        if (state != null) {
            checkResumable(state, fingerprint);
        }
        TrainingSettings s = settings;
        ImageDecoder decoder = new ImageDecoder(s.input());
        ImageSet all = new ImageCache(s.cacheDir()).load(trainFolder.getFileName().toString(), listed, decoder, policy,
                done -> progress.decoding(done, listed.size()));
        PatientSplit split = PatientSplit.of(all.images(), s.valFraction(), s.seed());
        ImageSet train = all.select(split.train());
        ImageSet validation = all.select(split.validation());
        requireBothClasses("training", train, s.valFraction());
        requireBothClasses("validation", validation, s.valFraction());
        PreparedData data = s.labelAudit() == null ? new PreparedData(trainFolder, fingerprint, all, train, validation)
                : applyAudit(new PreparedData(trainFolder, fingerprint, all, train, validation));
        progress.message(String.format("data: %s (%s): %d images used, %d skipped; train %d (NORMAL %d, PNEUMONIA %d),"
                        + " validation %d (NORMAL %d, PNEUMONIA %d) split by patient, seed %d",
                trainFolder, fingerprint, all.size(), data.skippedFiles(), train.size(), train.classCounts()[0],
                train.classCounts()[1], validation.size(), validation.classCounts()[0],
                validation.classCounts()[1], s.seed()));
        return data;
    }

    /**
     * Reads the settings' label audit (it must be of these very images) and applies it: training suspects get the
     * suspect weight, and validation suspects leave the epoch and threshold choice unless the settings keep them.
     */
    PreparedData applyAudit(PreparedData data) throws IOException {
        TrainingSettings s = settings;
        LabelAuditFile.Result audit = LabelAuditFile.read(s.labelAudit());
        if (!audit.fingerprint().equals(data.fingerprint())) {
            throw DataException.namingSettings("the {labelAudit} %s was made on other images (data fingerprint %s)"
                    + " than the training folder %s (%s); audit this folder again", s.labelAudit(),
                    audit.fingerprint(), data.folder(), data.fingerprint());
        }
        Map<String, LabelAuditFile.Entry> byFile = audit.byFile();
        float[] weights = new float[data.train().size()];
        int[] trainSuspects = new int[2];
        for (int i = 0; i < weights.length; i++) {
            LabelAuditFile.Entry e = byFile.get(LabelAuditFile.relative(data.folder(), data.train().image(i).file()));
            boolean suspect = e != null && e.suspect();
            weights[i] = suspect ? s.suspectWeight() : 1f;
            if (suspect) {
                trainSuspects[data.train().label(i)]++;
            }
        }
        List<LabeledImage> all = data.validation().images();
        Set<Integer> clean = new HashSet<>(LabelAuditFile.notSuspect(audit, data.folder(), all));
        List<LabeledImage> kept = new ArrayList<>();
        int[] validationSuspects = new int[2];
        for (int i = 0; i < all.size(); i++) {
            if (!clean.contains(i)) {
                validationSuspects[all.get(i).label().index()]++;
            }
            if (clean.contains(i) || s.validationSuspects()) {
                kept.add(all.get(i));
            }
        }
        ImageSet validation = data.validation().select(kept);
        requireBothClasses("validation", validation, s.valFraction());
        String description = String.format(java.util.Locale.ROOT, "training: %d suspects (NORMAL %d, PNEUMONIA %d)"
                        + " weighted %s; validation: %d suspects (NORMAL %d, PNEUMONIA %d) %s; audit: %s",
                trainSuspects[0] + trainSuspects[1], trainSuspects[0], trainSuspects[1], s.suspectWeight(),
                validationSuspects[0] + validationSuspects[1], validationSuspects[0], validationSuspects[1],
                s.validationSuspects() ? "kept" : "left out of the epoch and threshold choice", audit.summary());
        progress.message("label audit " + s.labelAudit() + ": " + description);
        return new PreparedData(data.folder(), data.fingerprint(), data.all(), data.train(), validation,
                new Audited(weights, data.validation().images(), description));
    }

    private static Shape inputShape(TrainingSettings s) {
        return new Shape(s.batchSize(), s.input().channels(), s.input().imageSize(), s.input().imageSize());
    }

    /** The epochs of a run, the best of them, and whether early stopping ended it. */
    record EpochsRun(List<EpochRecord> history, EpochRecord best, boolean stoppedEarly) {}

    /**
     * Trains the epochs after the checkpoint's (all of them for a new run), validating and checkpointing after each,
     * until the last epoch or early stopping.
     */
    EpochsRun trainEpochs(Model model, StatefulAdam adam, WeightedSoftmaxCrossEntropy loss, PreparedData data,
            Checkpoint.State state, Checkpoint checkpoint) throws IOException {
        TrainingSettings s = settings;
        List<EpochRecord> history = new ArrayList<>();
        EpochRecord best = null;
        int scheduleEpochs = state != null ? state.scheduleEpochs() : s.epochs();
        if (state != null) {
            history.addAll(state.history());
            best = history.stream().filter(e -> e.epoch() == state.bestEpoch()).findFirst().orElse(null);
        }
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss).optOptimizer(adam).optDevices(new Device[] {Device.cpu()});
        boolean stoppedEarly = false;
        List<Block> stages = s.architecture().backboneStages(model.getBlock());
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(inputShape(s));
            int stepsPerEpoch = stepsPerEpoch(data.train().size(), s);
            for (int epoch = history.size() + 1; epoch <= s.epochs(); epoch++) {
                if (s.patience() > 0 && best != null && epoch - 1 - best.epoch() >= s.patience()) {
                    stoppedEarly = true;
                    progress.message("early stop: no better validation AUC for " + s.patience() + " epochs");
                    break;
                }
                freezeBackbone(stages, s.fineTuning(), epoch);
                EpochRecord record = runEpoch(trainer, loss, adam, data, epoch, stepsPerEpoch, scheduleEpochs, s);
                boolean isBest = record.betterThan(best);
                if (isBest) {
                    best = record;
                }
                history.add(record);
                checkpoint.write(model.getBlock(), adam, new Checkpoint.State(s.recipe(), data.fingerprint(),
                        history, best.epoch(), scheduleEpochs), isBest);
                progress.epochFinished(record, isBest);
            }
        }
        if (best == null) {
            throw new IllegalStateException("no epoch was trained");
        }
        return new EpochsRun(List.copyOf(history), best, stoppedEarly);
    }

    /** Freezes the backbone stages the fine-tuning schedule holds still in this epoch, and unfreezes the others. */
    static void freezeBackbone(List<Block> stages, FineTuning fineTuning, int epoch) {
        for (int i = 0; i < stages.size(); i++) {
            stages.get(i).freezeParameters(fineTuning.frozen(i, epoch));
        }
    }

    /** The operating threshold on the kept epoch's validation scores, by the settings' rule. */
    double chooseThreshold(Scores scores) {
        return settings.thresholdChoice().choose(scores.truth, scores.probabilities);
    }

    /**
     * Writes the model folder (weights, {@code model.json} with its provenance, history, split and the checkpoint)
     * under a temporary name and renames it into the output folder.
     */
    ModelInfo writeModel(Block block, PreparedData data, EpochsRun epochs, Scores scores, double threshold,
            Checkpoint checkpoint, ModelInfo.Calibration calibration) throws IOException {
        byte[] weights = ModelFiles.weights(block);
        ModelInfo info = info(settings, ModelFiles.parameterCount(block), data, epochs, scores, threshold, weights)
                .withCalibration(calibration);
        AtomicFiles.writeFolder(settings.out(), staged -> {
            ModelFiles.writeInto(staged, info, weights);
            TrainingHistory.write(staged.resolve(TrainingHistory.FILE), epochs.history());
            Files.writeString(staged.resolve(SplitFile.FILE),
                    SplitFile.format(data.folder(), data.train().images(), data.validationSplit()),
                    StandardCharsets.UTF_8);
            checkpoint.copyTo(staged.resolve(Checkpoint.FOLDER));
        });
        return info;
    }

    /**
     * Finishes or undoes a folder replacement a crash interrupted (the model folder, then its checkpoint), deletes
     * stale temporary folders, and checks that the output folder may be used.
     */
    private void checkOutputFolder(Path out, Checkpoint checkpoint, boolean resume, boolean overwrite)
            throws IOException {
        if (AtomicFiles.recover(out) | AtomicFiles.recover(checkpoint.folder())) {
            progress.message("recovered " + out + " from an interrupted write");
        }
        if (resume) {
            if (!checkpoint.exists()) {
                throw new IllegalArgumentException("nothing to resume: " + out + " has no checkpoint");
            }
            return;
        }
        if (Files.exists(out) && !isEmptyDirectory(out)) {
            if (!overwrite) {
                throw new SettingException("output folder %s is not empty; use {resume} to continue its run,"
                        + " {overwrite} to replace it, or another {out}", out);
            }
            AtomicFiles.deleteRecursively(out);
        }
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private void checkResumable(Checkpoint.State state, String fingerprint) {
        Map<String, Object> want = new LinkedHashMap<>(settings.recipe());
        Map<String, Object> have = new LinkedHashMap<>(state.recipe());
        // The epoch count may grow, and the threshold rule and calibration only act after the last epoch: they may
        // change on resume.
        for (String free : List.of("epochs", "threshold", "calibration")) {
            want.remove(free);
            have.remove(free);
        }
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, Object> e : want.entrySet()) {
            Object old = have.get(e.getKey());
            if (!String.valueOf(normalise(old)).equals(String.valueOf(normalise(e.getValue())))) {
                differences.add("{" + e.getKey() + "} " + String.valueOf(old).replace("%", "%%") + " -> "
                        + String.valueOf(e.getValue()).replace("%", "%%"));
            }
        }
        if (!differences.isEmpty()) {
            throw new SettingException("cannot resume: settings differ from the checkpoint's: "
                    + String.join(", ", differences));
        }
        if (!state.fingerprint().equals(fingerprint)) {
            throw new IllegalArgumentException("cannot resume: the training images changed since the checkpoint ("
                    + state.fingerprint() + " -> " + fingerprint + ")");
        }
        if (state.history().size() >= settings.epochs()) {
            progress.message("the checkpoint has finished all " + settings.epochs() + " epochs; writing the model");
        }
    }

    private static Object normalise(Object value) {
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) ? Long.toString((long) d) : Float.toString((float) d);
        }
        return value;
    }

    private static void requireBothClasses(String side, ImageSet set, double valFraction) {
        int[] counts = set.classCounts();
        for (Diagnosis d : Diagnosis.values()) {
            if (counts[d.index()] == 0) {
                throw DataException.namingSettings("the %s side of the split has no %s images; the data set is"
                        + " too small for {valFraction} %s", side, d, valFraction);
            }
        }
    }

    private static int stepsPerEpoch(int trainSize, TrainingSettings s) {
        // The last partial batch is dropped when it would leave a single image (batch normalisation needs two).
        int steps = trainSize / s.batchSize() + (trainSize % s.batchSize() >= 2 ? 1 : 0);
        steps = Math.max(1, steps);
        return s.maxBatches() > 0 ? Math.min(steps, s.maxBatches()) : steps;
    }

    /**
     * Cosine decay from the peak learning rate to 5% of it over all steps of the schedule's epochs, then 5% of it:
     * a run extended on resume keeps the schedule it started with and trains its extra epochs at the floor.
     */
    static float learningRate(TrainingSettings s, long step, long totalSteps) {
        double progress = totalSteps <= 1 ? 0 : Math.min(1, (double) step / (totalSteps - 1));
        double floor = 0.05;
        return (float) (s.learningRate() * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress))));
    }

    private EpochRecord runEpoch(Trainer trainer, WeightedSoftmaxCrossEntropy loss, StatefulAdam adam,
            PreparedData data, int epoch, int steps, int scheduleEpochs, TrainingSettings s) throws IOException {
        ImageSet train = data.train();
        ImageSet validation = data.validation();
        long epochStart = System.nanoTime();
        Random order = stream(s.seed(), 1, epoch, 0);
        int[] indices = shuffled(train.size(), order);
        Augmentation augmentation = s.augment() ? Augmentation.DEFAULT : null;
        progress.epochStarted(epoch, s.epochs(), steps);
        ExecutorService prefetcher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pneumo-batches");
            t.setDaemon(true);
            return t;
        });
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        float lr = s.learningRate();
        try {
            CompletableFuture<Batch> next = prepare(prefetcher, train, indices, 0, s, augmentation, epoch);
            for (int step = 0; step < steps; step++) {
                Batch batch = join(next);
                if (step + 1 < steps) {
                    next = prepare(prefetcher, train, indices, step + 1, s, augmentation, epoch);
                }
                lr = learningRate(s, (long) (epoch - 1) * steps + step, (long) scheduleEpochs * steps);
                adam.setLearningRate(lr);
                try (NDManager manager = trainer.getManager().newSubManager()) {
                    NDArray x = InputTensors.batch(manager, batch);
                    NDList y = new NDList(manager.create(batch.labels()));
                    if (data.audited() != null) {
                        float[] w = new float[batch.size()];
                        for (int i = 0; i < w.length; i++) {
                            w[i] = data.weight(batch.indices()[i]);
                        }
                        y.add(manager.create(w));
                    }
                    double[] result = step(trainer, loss, x, y);
                    lossSum += result[0] * batch.size();
                    correct += (long) result[1];
                }
                seen += batch.size();
                double elapsed = (System.nanoTime() - epochStart) / 1e9;
                progress.batchFinished(step + 1, steps, lossSum / seen, (double) correct / seen, seen / elapsed);
            }
        } finally {
            prefetcher.shutdownNow();
        }
        double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
        Scores val = score(trainer.getModel(), loss, validation, s);
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        return new EpochRecord(epoch, lossSum / seen, (double) correct / seen, val.loss, val.at(0.5).accuracy().value(),
                RankMetrics.rocAuc(val.truth, val.probabilities), lr, seen / trainSeconds, seconds);
    }

    /**
     * One optimisation step on a batch: clear the gradients (DJL leaves that to its built-in optimizers, which ours
     * replaces), forward, loss, backward, update. Returns the batch's mean loss and number of correct answers.
     */
    static double[] step(Trainer trainer, ai.djl.training.loss.Loss loss, NDArray x, NDArray y) {
        return step(trainer, loss, x, new NDList(y));
    }

    /** {@link #step(Trainer, ai.djl.training.loss.Loss, NDArray, NDArray)} with labels and per-example weights. */
    static double[] step(Trainer trainer, ai.djl.training.loss.Loss loss, NDArray x, NDList labels) {
        NDArray y = labels.head();
        double[] result = new double[2];
        try (GradientCollector collector = trainer.newGradientCollector()) {
            collector.zeroGradients();
            NDList logits = trainer.forward(new NDList(x));
            NDArray l = loss.evaluate(labels, logits);
            collector.backward(l);
            result[0] = l.getFloat();
            result[1] = logits.head().argMax(1).toType(DataType.INT32, false).eq(y).countNonzero().getLong();
        }
        trainer.step();
        return result;
    }

    private static CompletableFuture<Batch> prepare(ExecutorService pool, ImageSet set, int[] order, int step,
            TrainingSettings s, Augmentation augmentation, int epoch) {
        return CompletableFuture.supplyAsync(() -> {
            int from = step * s.batchSize();
            int to = Math.min(order.length, from + s.batchSize());
            Random random = stream(s.seed(), 2, epoch, step);
            return Batch.of(set, Arrays.copyOfRange(order, from, to), augmentation, random);
        }, pool);
    }

    private static Batch join(CompletableFuture<Batch> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException("preparing a batch failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * A random stream for one purpose, epoch and step. Mixed through SplittableRandom because java.util.Random seeded
     * with consecutive numbers starts with nearly equal draws (every batch's first image would get the same rotation).
     */
    static Random stream(long seed, int purpose, int epoch, int step) {
        long mixed = new java.util.SplittableRandom(seed).split().nextLong() ^ (purpose * 0x9E3779B97F4A7C15L);
        return new Random(new java.util.SplittableRandom(mixed + epoch * 1_000_003L + step).nextLong());
    }

    private static int[] shuffled(int n, Random random) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** Validation scores: P(PNEUMONIA) per image, in set order, and the mean weighted loss. */
    static final class Scores {
        final int[] truth;
        final double[] probabilities;
        final double loss;

        Scores(int[] truth, double[] probabilities, double loss) {
            this.truth = truth;
            this.probabilities = probabilities;
            this.loss = loss;
        }

        /** The confusion matrix at {@code threshold}. */
        ConfusionMatrix at(double threshold) {
            return ConfusionMatrix.atThreshold(truth, probabilities, threshold);
        }
    }

    /**
     * P(PNEUMONIA) of every image of {@code set} (the first {@code maxBatches} batches when capped) through the same
     * tensors and softmax prediction uses, and the mean class-weighted loss. Each batch lives in its own sub-manager,
     * closed after it: validation through DJL's {@code Predictor} with a translator kept about one input tensor per
     * image alive after the predictor was closed (measured: resident memory grew by the validation split's float
     * size, about 190 MB, every epoch).
     */
    static Scores score(Model model, WeightedSoftmaxCrossEntropy loss, ImageSet set, TrainingSettings s) {
        int n = set.size();
        int used = s.maxBatches() > 0 ? Math.min(n, s.maxBatches() * s.batchSize()) : n;
        int[] truth = new int[used];
        double[] probabilities = new double[used];
        double lossSum = 0;
        float[] weights = loss.weights();
        for (int from = 0; from < used; from += s.batchSize()) {
            int to = Math.min(used, from + s.batchSize());
            List<byte[]> inputs = set.pixels(from, to);
            float[][] z;
            try (NDManager manager = model.getNDManager().newSubManager()) {
                NDArray x = InputTensors.batch(manager, inputs, set.spec());
                z = NetworkPass.rows(model.getBlock().forward(new ParameterStore(manager, false), new NDList(x), false)
                        .head());
            }
            for (int i = from; i < to; i++) {
                truth[i] = set.label(i);
                probabilities[i] = PneumoniaProbability.of(z[i - from][0], z[i - from][1]);
                double pTrue = truth[i] == 1 ? probabilities[i] : 1 - probabilities[i];
                lossSum += -weights[truth[i]] * Math.log(Math.max(pTrue, 1e-12));
            }
        }
        return new Scores(truth, probabilities, used == 0 ? Double.NaN : lossSum / used);
    }

    private static ModelInfo info(TrainingSettings s, long params, PreparedData prepared, EpochsRun epochs,
            Scores scores, double threshold, byte[] weights) {
        List<EpochRecord> history = epochs.history();
        EpochRecord best = epochs.best();
        boolean stoppedEarly = epochs.stoppedEarly();
        Path trainFolder = prepared.folder();
        String fingerprint = prepared.fingerprint();
        ImageSet all = prepared.all();
        ImageSet train = prepared.train();
        ImageSet validation = prepared.validation();
        Map<String, Object> training = new LinkedHashMap<>(s.recipe());
        training.put("epochsRun", history.size());
        training.put("bestEpoch", best.epoch());
        training.put("stoppedEarly", stoppedEarly);
        training.put("trainingSeconds", history.stream().mapToDouble(EpochRecord::seconds).sum());
        if (prepared.audited() != null) {
            training.put("labelAuditApplied", prepared.audited().description());
        }
        // The folder as the command was given it (relative stays relative): the model must not carry the layout of the
        // machine that trained it.
        Provenance.Data data = new Provenance.Data(Provenance.Data.asGiven(trainFolder),
                fingerprint, all.size(), all.skipped().size(), Provenance.ClassCounts.of(train.classCounts()),
                Provenance.ClassCounts.of(validation.classCounts()),
                "by patient (id from the file name), stratified by class, seeded");
        ConfusionMatrix atThreshold = scores.at(threshold);
        Provenance.Validation val = new Provenance.Validation(scores.truth.length,
                RankMetrics.rocAuc(scores.truth, scores.probabilities), scores.loss, atThreshold.accuracy().value(),
                atThreshold.sensitivity().value(), atThreshold.specificity().value(),
                scores.at(0.5).accuracy().value());
        String id = ModelInfo.newId(s.architecture().id(), Instant.now(), weights);
        return new ModelInfo(ModelInfo.FORMAT_VERSION, id, s.architecture().id(), params,
                ModelInfo.Input.of(s.input()), ModelInfo.PREPROCESSING, ModelInfo.defaultClasses(),
                new ModelInfo.Threshold(threshold, prepared.audited() != null && !s.validationSuspects()
                        ? s.thresholdRule() + " (validation images the label audit contradicts left out)"
                        : s.thresholdRule(), ThresholdRule.PLACEMENT, null), training, data.toMap(), val.toMap(),
                Instant.now().toString(), null);
    }
}
