package org.pneumo.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pneumo.io.AtomicFiles;
import org.pneumo.io.Json;

/**
 * Reads and writes a model folder: {@code model.json} ({@link ModelInfo}) and {@code weights.params} (the block's
 * parameters). Writes go through {@link AtomicFiles}, so a crash never leaves half a model.
 */
public final class ModelFiles {
    public static final String INFO_FILE = "model.json";
    public static final String WEIGHTS_FILE = "weights.params";

    private static final Gson GSON = Json.FILES;

    private ModelFiles() {}

    /** The JSON configuration of model folders ({@link Json#FILES}). */
    public static Gson gson() {
        return GSON;
    }

    /** Writes {@code info} and the block's weights as the folder {@code dir}, replacing any model already there. */
    public static void save(Path dir, ModelInfo info, Block block) throws IOException {
        byte[] weights = weights(block);
        AtomicFiles.writeFolder(dir, staged -> writeInto(staged, info, weights));
    }

    /** Writes {@code model.json} and {@code weights.params} into the (staging) folder {@code dir}. */
    public static void writeInto(Path dir, ModelInfo info, byte[] weights) throws IOException {
        Files.write(dir.resolve(WEIGHTS_FILE), weights);
        Files.writeString(dir.resolve(INFO_FILE), GSON.toJson(info) + "\n", StandardCharsets.UTF_8);
    }

    /** The block's parameters as {@code weights.params} holds them. */
    public static byte[] weights(Block block) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(bytes)) {
            block.saveParameters(data);
        }
        return bytes.toByteArray();
    }

    /**
     * Replaces a model folder's {@code model.json} with {@code info} (written atomically; the weights are not touched),
     * refusing an info of another model.
     */
    public static ModelInfo writeInfo(Path dir, ModelInfo info) throws IOException, ModelLoadException {
        ModelInfo stored = readInfo(dir);
        if (!stored.modelId().equals(info.modelId())) {
            throw new ModelLoadException(dir + " holds model " + stored.modelId() + ", not " + info.modelId());
        }
        AtomicFiles.write(dir.resolve(INFO_FILE), (GSON.toJson(info) + "\n").getBytes(StandardCharsets.UTF_8));
        return info;
    }

    /**
     * Replaces the card in a model folder's {@code model.json} (written atomically; the weights are not touched) and
     * returns the new info.
     */
    public static ModelInfo writeCard(Path dir, ModelCard card) throws IOException, ModelLoadException {
        ModelInfo info = readInfo(dir).withCard(card);
        AtomicFiles.write(dir.resolve(INFO_FILE),
                (GSON.toJson(info) + "\n").getBytes(StandardCharsets.UTF_8));
        return info;
    }

    /**
     * Stores an out-of-scope guard in a model folder: the typicality model in {@code scope.file()}, then its
     * description in {@code model.json} (each written atomically; the weights are not touched). A crash between the two
     * leaves a folder whose {@code model.json} does not name the new file yet, i.e. the previous state.
     */
    public static ModelInfo writeScope(Path dir, ModelInfo.Scope scope, TypicalityModel typicality)
            throws IOException, ModelLoadException {
        ModelInfo info = readInfo(dir).withScope(scope);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        typicality.write(bytes);
        AtomicFiles.write(dir.resolve(scope.file()), bytes.toByteArray());
        AtomicFiles.write(dir.resolve(INFO_FILE),
                (GSON.toJson(info) + "\n").getBytes(StandardCharsets.UTF_8));
        return info;
    }

    /** The folder's out-of-scope guard, or null when its {@code model.json} names none (older folders). */
    public static TypicalityModel readTypicality(Path dir, ModelInfo info) throws ModelLoadException {
        if (info.scope() == null) {
            return null;
        }
        Path file = dir.resolve(info.scope().file());
        try (InputStream in = Files.newInputStream(file)) {
            TypicalityModel model = TypicalityModel.read(in);
            if (model.featureCount() != info.scope().featureCount()) {
                throw new ModelLoadException(file + " scores " + model.featureCount() + " features but model.json says "
                        + info.scope().featureCount());
            }
            return model;
        } catch (IOException e) {
            throw new ModelLoadException("cannot read the out-of-scope guard " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads and checks {@code model.json} of a model folder. */
    public static ModelInfo readInfo(Path dir) throws ModelLoadException {
        Path file = dir.resolve(INFO_FILE);
        if (!Files.isDirectory(dir)) {
            throw new ModelLoadException("model folder " + dir + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException("model folder " + dir + " has no " + INFO_FILE);
        }
        ModelInfo info;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            info = GSON.fromJson(r, ModelInfo.class);
        } catch (IOException | JsonParseException | IllegalArgumentException | NullPointerException e) {
            throw new ModelLoadException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (info == null) {
            throw new ModelLoadException(file + " is empty");
        }
        if (info.formatVersion() == 1 && Architecture.CNN_LSTM.id().equals(info.architecture())) {
            throw new ModelLoadException(file + " is a cnn-lstm model of format version 1, trained before cnn-lstm"
                    + " standardised its input; retrain it with this version of pneumo");
        }
        if (info.formatVersion() != ModelInfo.FORMAT_VERSION
                && !(info.formatVersion() == 1 && Architecture.SEED.id().equals(info.architecture()))) {
            throw new ModelLoadException(file + " has format version " + info.formatVersion()
                    + "; this version of pneumo reads version " + ModelInfo.FORMAT_VERSION);
        }
        if (!ModelInfo.defaultClasses().equals(info.classes())) {
            throw new ModelLoadException(
                    file + " has classes " + info.classes() + "; expected " + ModelInfo.defaultClasses());
        }
        if (ModelInfo.ENSEMBLE.equals(info.architecture())) {
            if (info.members().size() < 2) {
                throw new ModelLoadException(file + " is an ensemble but names " + info.members().size()
                        + " member folders in training.members; it needs at least 2");
            }
            for (String member : info.members()) {
                Path m = dir.resolve(member).normalize();
                if (!m.startsWith(dir.normalize()) || m.equals(dir.normalize())) {
                    throw new ModelLoadException(file + " names member folder " + member
                            + ", which is not inside the ensemble's folder");
                }
            }
            return info;
        }
        try {
            Architecture.of(info.architecture());
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(file + ": " + e.getMessage());
        }
        return info;
    }

    /**
     * Loads a model folder into {@code model}: builds the block the info names, initialises it for the info's input and
     * reads the weights, refusing a parameter count that differs from the info's.
     */
    public static ModelInfo load(Path dir, Model model) throws ModelLoadException {
        ModelInfo info = readInfo(dir);
        if (!info.members().isEmpty()) {
            throw new ModelLoadException(dir + " is an ensemble of " + info.members().size() + " models, not one"
                    + " network: load it with Detector.load, or load one of its members " + info.members());
        }
        Block block = Architecture.of(info.architecture()).build(info.input().channels());
        block.initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
                new Shape(1, info.input().channels(), info.input().imageSize(), info.input().imageSize()));
        long count = parameterCount(block);
        if (count != info.parameterCount()) {
            throw new ModelLoadException(dir + ": " + info.architecture() + " at " + info.input() + " has " + count
                    + " parameters but model.json says " + info.parameterCount());
        }
        Path weights = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(weights)) {
            throw new ModelLoadException("model folder " + dir + " has no " + WEIGHTS_FILE);
        }
        try (InputStream in = Files.newInputStream(weights);
                DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in))) {
            block.loadParameters(model.getNDManager(), data);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new ModelLoadException("cannot read weights " + weights + ": " + e.getMessage(), e);
        }
        model.setBlock(block);
        return info;
    }

    /** Number of values in the block's parameters (it must be initialised). */
    public static long parameterCount(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().getType() == Parameter.Type.RUNNING_MEAN
                    || p.getValue().getType() == Parameter.Type.RUNNING_VAR) {
                continue;
            }
            n += p.getValue().getArray().getShape().size();
        }
        return n;
    }
}
