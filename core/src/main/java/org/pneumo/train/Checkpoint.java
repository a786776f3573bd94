package org.pneumo.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.google.gson.JsonParseException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.pneumo.io.AtomicFiles;
import org.pneumo.model.ModelFiles;

/**
 * The resumable state of a training run, in {@code <out>/checkpoint/}: the weights after the last finished epoch,
 * the optimizer's moments, the best epoch's weights, and the history and settings. The folder is replaced as a whole
 * after every epoch, so a run killed at any moment resumes from its last finished epoch.
 */
final class Checkpoint {
    static final String FOLDER = "checkpoint";
    private static final String LAST = "last.params";
    private static final String BEST = "best.params";
    private static final String OPTIMIZER = "optimizer.bin";
    private static final String STATE = "state.json";

    private final Path folder;

    Checkpoint(Path folder) {
        this.folder = folder;
    }

    Path folder() {
        return folder;
    }

    boolean exists() {
        return Files.isRegularFile(folder.resolve(STATE));
    }

    /**
     * What a checkpoint knows besides the arrays.
     *
     * @param scheduleEpochs the epochs the learning-rate schedule spans: those of the run that started it, kept when
     *     a resumed run is extended (0 in checkpoints written before it was recorded: the recipe's epochs)
     */
    record State(Map<String, Object> recipe, String fingerprint, List<EpochRecord> history, int bestEpoch,
            int scheduleEpochs) {
        State {
            history = List.copyOf(history);
            for (int i = 0; i < history.size(); i++) {
                if (history.get(i).epoch() != i + 1) {
                    throw new IllegalArgumentException("history must hold epochs 1..n in order, found "
                            + history.get(i).epoch() + " at position " + (i + 1));
                }
            }
        }
    }

    State readState() throws IOException {
        try {
            State s = ModelFiles.gson().fromJson(Files.readString(folder.resolve(STATE)), State.class);
            if (s == null || s.history() == null || s.recipe() == null) {
                throw new IOException("checkpoint state " + folder.resolve(STATE) + " is incomplete");
            }
            int schedule = s.scheduleEpochs() > 0 ? s.scheduleEpochs()
                    : s.recipe().get("epochs") instanceof Number n ? n.intValue() : s.history().size();
            return new State(s.recipe(), s.fingerprint(), s.history(), s.bestEpoch(), schedule);
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new IOException("checkpoint state " + folder.resolve(STATE) + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** Replaces the checkpoint as a whole ({@link AtomicFiles#writeFolder}): a kill leaves the old or the new one. */
    void write(Block block, StatefulAdam adam, State state, boolean isBest) throws IOException {
        AtomicFiles.writeFolder(folder, staged -> {
            try (DataOutputStream out = open(staged.resolve(LAST))) {
                block.saveParameters(out);
            }
            try (DataOutputStream out = open(staged.resolve(OPTIMIZER))) {
                adam.save(block, out);
            }
            Files.copy(isBest ? staged.resolve(LAST) : folder.resolve(BEST), staged.resolve(BEST));
            Files.writeString(staged.resolve(STATE), ModelFiles.gson().toJson(state), StandardCharsets.UTF_8);
        });
    }

    /** Copies the checkpoint into {@code target} (a new folder), to travel with a model folder. */
    void copyTo(Path target) throws IOException {
        Files.createDirectories(target);
        for (String name : List.of(LAST, BEST, OPTIMIZER, STATE)) {
            Files.copy(folder.resolve(name), target.resolve(name));
        }
    }

    void restore(Block block, StatefulAdam adam, NDManager manager) throws IOException {
        load(block, manager, LAST);
        try (DataInputStream in = openIn(folder.resolve(OPTIMIZER))) {
            adam.load(block, in);
        }
    }

    void loadBest(Block block, NDManager manager) throws IOException {
        load(block, manager, BEST);
    }

    private void load(Block block, NDManager manager, String name) throws IOException {
        try (DataInputStream in = openIn(folder.resolve(name))) {
            block.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException("checkpoint " + folder.resolve(name) + " does not fit the network: " + e.getMessage(),
                    e);
        }
    }

    private static DataOutputStream open(Path file) throws IOException {
        return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    }

    private static DataInputStream openIn(Path file) throws IOException {
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    }
}
