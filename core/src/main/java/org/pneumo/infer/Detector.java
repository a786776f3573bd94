package org.pneumo.infer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.pneumo.data.Diagnosis;
import org.pneumo.data.ImageDecoder;
import org.pneumo.data.ImageSource;
import org.pneumo.data.InputSpec;
import org.pneumo.data.ParallelDecoder;
import org.pneumo.eval.TemperatureScaling;
import org.pneumo.model.Architecture;
import org.pneumo.model.InputTensors;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;
import org.pneumo.model.ModelLoadException;
import org.pneumo.model.NetworkPass;
import org.pneumo.model.ShippedModel;
import org.pneumo.model.TypicalityModel;
import org.pneumo.model.PneumoniaProbability;

/**
 * Says NORMAL or PNEUMONIA, with the probability of pneumonia, for X-ray files, encoded bytes or decoded images, and
 * optionally shows where the network looked (Grad-CAM). Loads a model folder, or the model shipped inside the library,
 * and checks its {@code model.json}.
 *
 * <p>Thread-safe: every call gets its own predictor and native memory, released before it returns, so one detector
 * can serve many threads (heatmap computations run one at a time). Close it to free the model.
 */
public final class Detector implements AutoCloseable {
    private final ModelInfo info;
    private final ImageDecoder decoder;
    private final double threshold;
    private final List<Member> members; // one network, or an ensemble's members

    private Detector(ModelInfo info, double threshold, List<Member> members) {
        this.info = info;
        this.decoder = new ImageDecoder(info.inputSpec());
        this.threshold = threshold;
        this.members = List.copyOf(members);
    }

    /** One trained network with its Grad-CAM, feature split and out-of-scope guard. */
    private static final class Member implements AutoCloseable {
        final Model model;
        final ModelInfo info;
        final GradCam gradCam;
        final Architecture.Split split;
        final TypicalityModel typicality; // null: no guard
        final List<Integer> scopeStages; // the backbone stages the guard reads

        Member(Model model, ModelInfo info, TypicalityModel typicality) {
            this.model = model;
            this.info = info;
            this.scopeStages = info.scope() == null ? List.of() : info.scope().stages();
            this.split = Architecture.of(info.architecture()).split(model.getBlock());
            this.gradCam = new GradCam(split, scopeStages);
            this.typicality = typicality;
        }

        static Member load(Path dir) throws ModelLoadException {
            Model model = Model.newInstance("pneumo", Device.cpu());
            try {
                ModelInfo info = ModelFiles.load(dir, model);
                return new Member(model, info, ModelFiles.readTypicality(dir, info));
            } catch (ModelLoadException | RuntimeException e) {
                model.close();
                throw e;
            }
        }

        @Override
        public void close() {
            model.close();
        }
    }

    /** Loads the model that ships inside the library ({@link ShippedModel}) with its own operating threshold. */
    public static Detector loadShipped() throws ModelLoadException {
        return load(ShippedModel.folder(), Double.NaN);
    }

    /**
     * Loads the shipped model.
     *
     * @param threshold the operating threshold in [0, 1], or NaN for the model's own
     */
    public static Detector loadShipped(double threshold) throws ModelLoadException {
        return load(ShippedModel.folder(), threshold);
    }

    /** Loads a model folder and uses its stored operating threshold. */
    public static Detector load(Path modelDir) throws ModelLoadException {
        return load(modelDir, Double.NaN);
    }

    /**
     * Loads a model folder.
     *
     * @param threshold the operating threshold in [0, 1], or NaN for the model's own
     */
    public static Detector load(Path modelDir, double threshold) throws ModelLoadException {
        if (!Double.isNaN(threshold) && !(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold " + threshold + " is outside [0, 1]");
        }
        ModelInfo info = ModelFiles.readInfo(modelDir);
        double chosen = Double.isNaN(threshold) ? info.threshold().value() : threshold;
        if (info.members().isEmpty()) {
            Member single = Member.load(modelDir);
            return new Detector(single.info, chosen, List.of(single));
        }
        List<Member> loaded = new ArrayList<>();
        try {
            for (String member : info.members()) {
                Member m = Member.load(modelDir.resolve(member));
                loaded.add(m);
                if (!m.info.inputSpec().equals(info.inputSpec())) {
                    throw new ModelLoadException("ensemble member " + member + " takes " + m.info.inputSpec()
                            + " but the ensemble " + info.inputSpec());
                }
            }
            return new Detector(info, chosen, loaded);
        } catch (ModelLoadException | RuntimeException e) {
            loaded.forEach(Member::close);
            throw e;
        }
    }

    /** The model's card: architecture, input, threshold, training settings, data, validation figures. */
    public ModelInfo info() {
        return info;
    }

    /** The operating threshold this detector applies. */
    public double threshold() {
        return threshold;
    }

    public InputSpec inputSpec() {
        return info.inputSpec();
    }

    /** Predicts one file. */
    public Prediction predict(Path file) throws IOException {
        return predictTensor(file.toString(), decoder.decode(file), false);
    }

    /** Predicts one file, with its Grad-CAM heatmap. */
    public Prediction predictWithHeatmap(Path file) throws IOException {
        return predictTensor(file.toString(), decoder.decode(file), true);
    }

    /** Predicts encoded image bytes (JPEG or PNG); {@code name} is echoed in the result. */
    public Prediction predict(String name, byte[] encoded, boolean heatmap) throws IOException {
        return predictTensor(name, decoder.decode(decoder.read(encoded)), heatmap);
    }

    /** Predicts a decoded image; {@code name} is echoed in the result. */
    public Prediction predict(String name, BufferedImage image, boolean heatmap) {
        return predictTensor(name, decoder.decode(image), heatmap);
    }

    /** Reads encoded image bytes (JPEG, PNG or DICOM) for prediction and display, with the size check. */
    public BufferedImage read(byte[] encoded) throws IOException {
        return decoder.read(encoded);
    }

    /** Reads an image file for display, with the same size check as prediction. */
    public BufferedImage readForDisplay(Path file) throws IOException {
        return decoder.read(file);
    }

    /** Whether this detector's model carries an out-of-scope guard (an ensemble: every member does). */
    public boolean hasScopeGuard() {
        return members.stream().allMatch(m -> m.typicality != null);
    }

    private Prediction predictTensor(String name, byte[] pixels, boolean heatmap) {
        return score(List.of(pixels), heatmap).get(0).prediction(name);
    }

    /** One image's outcome of a pass: probability, guard verdict and (when asked) heatmap. */
    private final class Scored {
        final double probability;
        final ScopeVerdict scope;
        final Heatmap heatmap;

        Scored(double probability, ScopeVerdict scope, Heatmap heatmap) {
            this.probability = probability;
            this.scope = scope;
            this.heatmap = heatmap;
        }

        Prediction prediction(String name) {
            return new Prediction(name, probability, Diagnosis.at(probability, threshold), threshold, info.modelId(),
                    heatmap, scope);
        }
    }

    /** P(PNEUMONIA) for decoded tensors of this detector's input spec, as one batch. */
    public List<Double> probabilities(List<byte[]> pixels) {
        return score(pixels, false).stream().map(s -> s.probability).toList();
    }

    /**
     * One network pass over a batch: probabilities, the guard's verdicts and, when asked, Grad-CAM heatmaps from the
     * same pass.
     */
    private List<Scored> score(List<byte[]> pixels, boolean heatmaps) {
        if (members.size() == 1) {
            return scoreMember(members.get(0), pixels, heatmaps);
        }
        // An ensemble: the mean of the members' probabilities and heatmaps; the most atypical member's verdict.
        List<List<Scored>> each = new ArrayList<>();
        for (Member m : members) {
            each.add(scoreMember(m, pixels, heatmaps));
        }
        List<Scored> combined = new ArrayList<>(pixels.size());
        for (int i = 0; i < pixels.size(); i++) {
            double p = 0;
            ScopeVerdict scope = null;
            List<Heatmap> maps = new ArrayList<>();
            for (List<Scored> s : each) {
                Scored one = s.get(i);
                p += one.probability / each.size();
                scope = atypical(scope, one.scope);
                if (one.heatmap != null) {
                    maps.add(one.heatmap);
                }
            }
            combined.add(new Scored(TemperatureScaling.apply(p, info.temperature()), scope,
                    heatmaps ? Heatmap.mean(maps) : null));
        }
        return combined;
    }

    /** Of two verdicts, the one that trusts the image less: out of scope first, then the higher percentile. */
    static ScopeVerdict atypical(ScopeVerdict a, ScopeVerdict b) {
        if (a == null) {
            return b;
        }
        if (a.outOfScope() != b.outOfScope()) {
            return a.outOfScope() ? a : b;
        }
        if (a.inScope() == null || b.inScope() == null) {
            return a.inScope() == null ? a : b; // a member without a guard makes the ensemble's unavailable
        }
        return b.percentile() > a.percentile() ? b : a;
    }

    private List<Scored> scoreMember(Member member, List<byte[]> pixels, boolean heatmaps) {
        Model model = member.model;
        GradCam gradCam = member.gradCam;
        Architecture.Split split = member.split;
        TypicalityModel typicality = member.typicality;
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray input = InputTensors.batch(manager, pixels, info.inputSpec());
            NDArray logits;
            NDArray features;
            List<Heatmap> maps = null;
            if (heatmaps) {
                GradCam.Output out = gradCam.compute(manager, input);
                maps = out.heatmaps();
                logits = out.logits();
                features = out.scopeFeatures();
            } else {
                NetworkPass.HeadOutput out = NetworkPass.run(split, new ParameterStore(manager, false), input,
                        member.scopeStages);
                logits = out.logits();
                features = out.scopeFeatures();
            }
            float[][] z = NetworkPass.rows(logits);
            float[][] f = typicality == null ? null : NetworkPass.rows(features);
            List<Scored> scored = new ArrayList<>(z.length);
            for (int i = 0; i < z.length; i++) {
                double p = PneumoniaProbability.of(z[i][0], z[i][1], member.info.temperature());
                scored.add(new Scored(p, verdict(typicality, f == null ? null : f[i]),
                        maps == null ? null : maps.get(i)));
            }
            return scored;
        }
    }

    private static ScopeVerdict verdict(TypicalityModel typicality, float[] features) {
        if (typicality == null) {
            return ScopeVerdict.unavailable();
        }
        double d = typicality.distance(features);
        return ScopeVerdict.of(d, typicality.cut(), typicality.percentile(d));
    }

    /**
     * Predicts images in real batches of {@code batchSize} and hands each result to {@code sink} in input order as
     * soon as its batch is done. Images are decoded in parallel, at most two batches ahead: whatever the number of
     * sources, at most {@code 2 * batchSize} decoded images are held at once (a source is read only when its turn
     * comes), so a folder or an archive of any size runs in constant memory when the sink keeps no heatmaps. An
     * image that cannot be read becomes a result with its error while the others go on.
     *
     * @throws java.io.InterruptedIOException when the thread is interrupted while waiting for decoded images
     */
    public void predictEach(Iterator<? extends ImageSource> sources, int batchSize, boolean withHeatmaps,
            Consumer<PredictionResult> sink) throws IOException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " must be at least 1");
        }
        ParallelDecoder parallel = new ParallelDecoder(ParallelDecoder.defaultThreads(), 2 * batchSize);
        parallel.<ImageSource>decode(sources, source -> source.decode(decoder), batchSize, chunk -> {
            List<byte[]> batch = new ArrayList<>(chunk.size());
            for (ParallelDecoder.Decoded<ImageSource> d : chunk) {
                if (!d.failed()) {
                    batch.add(d.pixels());
                }
            }
            List<Scored> scored = batch.isEmpty() ? List.of() : score(batch, withHeatmaps);
            int k = 0;
            for (ParallelDecoder.Decoded<ImageSource> d : chunk) {
                String name = d.input().name();
                if (d.failed()) {
                    sink.accept(new PredictionResult(name, null, d.error()));
                } else {
                    sink.accept(new PredictionResult(name, scored.get(k).prediction(name), null));
                    k++;
                }
            }
        });
    }

    /**
     * Predicts images (files, or encoded bytes under any name, see {@link ImageSource}) in batches, as
     * {@link #predictEach}, and returns the results in input order.
     */
    public List<PredictionResult> predictAll(List<? extends ImageSource> sources, int batchSize, boolean withHeatmaps)
            throws IOException {
        List<PredictionResult> results = new ArrayList<>(sources.size());
        predictEach(sources.iterator(), batchSize, withHeatmaps, results::add);
        return results;
    }

    /**
     * Predicts many files in real batches, as {@link #predictEach}, and returns the results in input order;
     * {@code progress} is told how many files are done after each batch. With heatmaps every map is kept until the
     * end: for large folders with heatmaps use {@link #predictEach}.
     */
    public List<PredictionResult> predictFiles(List<Path> files, int batchSize, boolean withHeatmaps,
            IntConsumer progress) throws IOException {
        List<PredictionResult> results = new ArrayList<>(files.size());
        predictEach(files.stream().map(ImageSource::of).iterator(), batchSize, withHeatmaps, r -> {
            results.add(r);
            if (results.size() % batchSize == 0 || results.size() == files.size()) {
                progress.accept(results.size());
            }
        });
        return results;
    }

    @Override
    public void close() {
        members.forEach(Member::close);
    }
}
