package org.pneumo.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.pneumo.data.Diagnosis;
import org.pneumo.data.ImageDecoder;
import org.pneumo.data.ImageFolder;
import org.pneumo.data.ImageSource;
import org.pneumo.infer.Detector;
import org.pneumo.infer.Prediction;
import org.pneumo.infer.PredictionResult;
import org.pneumo.train.ScopeGuardFit;
import org.pneumo.model.ModelFiles;
import org.pneumo.model.ModelInfo;
import org.pneumo.model.ModelLoadException;

/**
 * The only place this module touches pneumo's core: which files make a model, what a model folder says about itself,
 * and scoring a batch of encoded images with a {@link Detector}. Kept small so that a change of core's API changes
 * one class.
 */
final class CoreAdapter implements AutoCloseable {
    /** The files of a model folder that scoring needs (not its checkpoint, history or split). */
    static final List<String> MODEL_FILES = List.of(ModelFiles.INFO_FILE, ModelFiles.WEIGHTS_FILE,
            ScopeGuardFit.FILE);
    /** Files of {@link #MODEL_FILES} an older model folder may lack (it then has no out-of-scope guard). */
    static final List<String> OPTIONAL_MODEL_FILES = List.of(ScopeGuardFit.FILE);

    /** The error of a zero-byte file, worded as the decoder words it for {@code pneumo predict}. */
    static final String EMPTY_FILE = emptyFileError();

    private final Detector detector;
    private final ImageDecoder decoder;

    private CoreAdapter(Detector detector) {
        this.detector = detector;
        this.decoder = new ImageDecoder(detector.inputSpec());
    }

    private static String emptyFileError() {
        try {
            new ImageDecoder(new org.pneumo.data.InputSpec(32, 1)).decode(new byte[0]);
            throw new IllegalStateException("the decoder accepted an empty file");
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** The file name extensions {@code pneumo predict} reads, lower case, without the dot. */
    static Set<String> imageExtensions() {
        return ImageFolder.IMAGE_EXTENSIONS;
    }

    /**
     * The member folders (relative) that an ensemble's {@code model.json} names, or none for one network; the bytes
     * are the file's, read from any file system.
     */
    static List<String> members(byte[] modelJson) throws ModelLoadException {
        try {
            ModelInfo info = ModelFiles.gson().fromJson(new String(modelJson, java.nio.charset.StandardCharsets.UTF_8),
                    ModelInfo.class);
            return info == null ? List.of() : info.members();
        } catch (RuntimeException e) {
            throw new ModelLoadException("cannot read " + ModelFiles.INFO_FILE + ": " + e.getMessage(), e);
        }
    }

    /** Reads and checks a model folder's {@code model.json} (no engine needed): its id and operating threshold. */
    static ModelSummary describe(Path modelDir) throws ModelLoadException {
        ModelInfo info = ModelFiles.readInfo(modelDir);
        return new ModelSummary(info.modelId(), info.threshold().value());
    }

    /** Loads a model folder for scoring. */
    static CoreAdapter load(Path modelDir) throws ModelLoadException {
        return new CoreAdapter(Detector.load(modelDir));
    }

    String modelId() {
        return detector.info().modelId();
    }

    /**
     * Scores encoded images (JPEG, PNG or DICOM) as one batch: an image that cannot be decoded gets its error (the
     * wording of {@code pneumo predict}), the others their probability and label.
     */
    List<Score> score(List<String> names, List<byte[]> encoded, double threshold) throws IOException {
        List<ImageSource> sources = new ArrayList<>(encoded.size());
        for (int i = 0; i < encoded.size(); i++) {
            sources.add(ImageSource.of(names.get(i), encoded.get(i)));
        }
        List<Score> out = new ArrayList<>(encoded.size());
        for (PredictionResult r : detector.predictAll(sources, Math.max(1, sources.size()), false)) {
            if (r.failed()) {
                out.add(Score.failed(r.error()));
            } else {
                Prediction p = r.prediction();
                double pk = p.probability();
                out.add(new Score(Diagnosis.at(pk, threshold).name(), pk, p.scope().inScope(),
                        Double.isNaN(p.scope().typicality()) ? null : p.scope().typicality(), p.scope().reason(),
                        p.scope().note(), null));
            }
        }
        return out;
    }

    @Override
    public void close() {
        detector.close();
    }

    /** What the driver needs to know of a model before scoring. */
    record ModelSummary(String modelId, double threshold) {}

    /** One image's outcome: a label and probability with the out-of-scope guard's answer, or an error. */
    record Score(String label, Double probability, Boolean inScope, Double typicality, String scopeReason,
            String scopeNote, String error) {
        static Score failed(String error) {
            return new Score(null, null, null, null, null, null, error);
        }
    }
}
