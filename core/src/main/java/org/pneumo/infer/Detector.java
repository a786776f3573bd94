package org.pneumo.infer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslateException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.pneumo.data.Diagnosis;
import org.pneumo.data.ImageDecoder;
import org.pneumo.data.InputSpec;
import org.pneumo.data.Pixels;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;
import org.pneumo.model.ModelLoadException;
import org.pneumo.model.XrayTranslator;

/**
 * Says NORMAL or PNEUMONIA, with the probability of pneumonia, for X-ray files, encoded bytes or decoded images, and
 * optionally shows where the network looked (Grad-CAM). Loads a model folder and checks its {@code model.json}.
 *
 * <p>Thread-safe: every call gets its own predictor and native memory, released before it returns, so one detector
 * can serve many threads (heatmap computations run one at a time). Close it to free the model.
 */
public final class Detector implements AutoCloseable {
    private final Model model;
    private final ModelInfo info;
    private final ImageDecoder decoder;
    private final XrayTranslator translator;
    private final double threshold;
    private final GradCam gradCam;

    private Detector(Model model, ModelInfo info, double threshold) {
        this.model = model;
        this.info = info;
        this.decoder = new ImageDecoder(info.inputSpec());
        this.translator = new XrayTranslator(info.inputSpec());
        this.threshold = threshold;
        this.gradCam = new GradCam(model.getBlock());
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
        Model model = Model.newInstance("pneumo", Device.cpu());
        try {
            ModelInfo info = ModelFiles.load(modelDir, model);
            return new Detector(model, info, Double.isNaN(threshold) ? info.threshold().value() : threshold);
        } catch (ModelLoadException | RuntimeException e) {
            model.close();
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

    private Prediction predictTensor(String name, byte[] pixels, boolean heatmap) {
        double p = probabilities(List.of(pixels)).get(0);
        Heatmap map = heatmap ? heatmaps(List.of(pixels)).get(0) : null;
        return prediction(name, p, map);
    }

    private Prediction prediction(String name, double p, Heatmap map) {
        Diagnosis label = p >= threshold ? Diagnosis.PNEUMONIA : Diagnosis.NORMAL;
        return new Prediction(name, p, label, threshold, info.modelId(), map);
    }

    /** P(PNEUMONIA) for decoded tensors of this detector's input spec, as one batch. */
    public List<Double> probabilities(List<byte[]> pixels) {
        try (Predictor<byte[], Double> predictor = model.newPredictor(translator)) {
            return predictor.batchPredict(pixels);
        } catch (TranslateException e) {
            throw new IllegalStateException("prediction failed: " + e.getMessage(), e);
        }
    }

    private List<Heatmap> heatmaps(List<byte[]> pixels) {
        InputSpec spec = info.inputSpec();
        float[] values = new float[pixels.size() * spec.pixelCount()];
        for (int i = 0; i < pixels.size(); i++) {
            Pixels.toUnit(pixels.get(i), values, i * spec.pixelCount());
        }
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray x = manager.create(values,
                    new Shape(pixels.size(), spec.channels(), spec.imageSize(), spec.imageSize()));
            return gradCam.compute(manager, x);
        }
    }

    /**
     * Predicts many files in real batches: files are decoded in parallel, a file that cannot be read becomes a result
     * with its error while the others go on, and {@code progress} is told how many files are done.
     */
    public List<PredictionResult> predictFiles(List<Path> files, int batchSize, boolean withHeatmaps,
            IntConsumer progress) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " must be at least 1");
        }
        ExecutorService pool = Executors.newFixedThreadPool(decodeThreads(), r -> {
            Thread t = new Thread(r, "pneumo-decode");
            t.setDaemon(true);
            return t;
        });
        List<PredictionResult> results = new ArrayList<>(files.size());
        try {
            List<Future<Object>> decoded = new ArrayList<>(files.size());
            for (Path file : files) {
                decoded.add(pool.submit(() -> decodeOrError(file)));
            }
            for (int from = 0; from < files.size(); from += batchSize) {
                int to = Math.min(files.size(), from + batchSize);
                List<Integer> ok = new ArrayList<>();
                List<byte[]> batch = new ArrayList<>();
                PredictionResult[] chunk = new PredictionResult[to - from];
                for (int i = from; i < to; i++) {
                    Object d = get(decoded.get(i));
                    if (d instanceof byte[] pixels) {
                        ok.add(i);
                        batch.add(pixels);
                    } else {
                        chunk[i - from] = new PredictionResult(files.get(i), null, String.valueOf(d));
                    }
                }
                if (!batch.isEmpty()) {
                    List<Double> p = probabilities(batch);
                    List<Heatmap> maps = withHeatmaps ? heatmaps(batch) : null;
                    for (int k = 0; k < ok.size(); k++) {
                        int i = ok.get(k);
                        Prediction prediction =
                                prediction(files.get(i).toString(), p.get(k), maps == null ? null : maps.get(k));
                        chunk[i - from] = new PredictionResult(files.get(i), prediction, null);
                    }
                }
                results.addAll(List.of(chunk));
                progress.accept(to);
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Threads decoding files beside the forward pass: system property {@code pneumo.decodeThreads}, else the cores. */
    static int decodeThreads() {
        int cores = Runtime.getRuntime().availableProcessors();
        int n = Integer.getInteger("pneumo.decodeThreads", cores);
        if (n < 1) {
            throw new IllegalArgumentException("pneumo.decodeThreads " + n + " must be at least 1");
        }
        return n;
    }

    private Object decodeOrError(Path file) {
        try {
            return decoder.decode(file);
        } catch (IOException | RuntimeException e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    private static Object get(Future<Object> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException e) {
            return String.valueOf(e.getCause());
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
