package org.pneumo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pneumo.data.SyntheticImages;
import org.pneumo.io.AtomicFiles;
import org.pneumo.train.EpochRecord;
import org.pneumo.train.TrainingHistory;

/**
 * A real training process killed with SIGKILL at the named points of a folder replacement (the second epoch's
 * checkpoint, and the final model folder "m"), renames included: {@code --resume} must find the newest complete
 * state, finish the run without a gap or a repeated epoch, and leave no temporary folder behind.
 */
class TrainCrashTest {
    /** Longest wait for the child to reach its pause point; a hung child fails the test instead of hanging it. */
    private static final long PAUSE_WAIT_SECONDS = 240;

    /** Put in the queue when the child's output ends. */
    private static final String END = new String("end of output");

    @TempDir
    static Path shared;

    static Path data;

    @TempDir
    Path dir;

    @RegisterExtension
    final CliRun cli = new CliRun();

    @BeforeAll
    static void makeData() {
        data = SyntheticImages.blobDataset(shared.resolve("data"), 10, 32, 3);
    }

    private List<String> trainArgs(Path out) {
        return List.of("train", "--data", data.toString(), "--out", out.toString(), "--arch", "seed", "--image-size",
                "32", "--epochs", "2", "--batch-size", "4", "--max-batches", "1", "--no-augment", "--cache-dir",
                dir.resolve("cache").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"checkpoint:staged#2", "checkpoint:committed#2", "checkpoint:old-moved",
        "checkpoint:new-moved#2", "m:staged", "m:committed", "m:old-moved", "m:new-moved"})
    void resumeFindsTheNewestCompleteStateWhereverTheKillFalls(String point) throws Exception {
        Path out = dir.resolve("runs").resolve("m");
        killAt(point, out);
        if (point.equals("m:old-moved")) {
            // The dangerous window: the model folder itself is renamed away.
            assertThat(out).doesNotExist();
        }
        if (point.equals("checkpoint:old-moved")) {
            // Epoch 2 replaces epoch 1's checkpoint (the first replacement that renames one away).
            assertThat(out.resolve("checkpoint")).doesNotExist();
        }

        List<String> resume = new ArrayList<>(trainArgs(out));
        resume.add("--resume");
        int code = cli.run(resume.toArray(String[]::new));
        assertThat(code).as(cli.err() + cli.out()).isZero();
        List<EpochRecord> history = TrainingHistory.read(out.resolve(TrainingHistory.FILE));
        assertThat(history).extracting(EpochRecord::epoch).containsExactly(1, 2);
        assertThat(out.resolve("model.json")).isRegularFile();
        assertThat(out.resolve("checkpoint/state.json")).isRegularFile();
        assertThat(names(out.getParent())).containsExactly("m");
        assertThat(names(out)).containsExactlyInAnyOrder("model.json", "weights.params", "history.csv", "split.csv",
                "checkpoint", "typicality.bin");
    }

    /** Starts a training process that pauses at {@code point}, waits (bounded) until it does, and kills it. */
    private void killAt(String point, Path out) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx1g", "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-Djava.awt.headless=true", "-D" + AtomicFiles.PAUSE_PROPERTY + "=" + point,
                PneumoCommand.class.getName()));
        command.addAll(trainArgs(out));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("reader: " + e);
            }
            lines.add(END);
        });
        reader.setDaemon(true);
        reader.start();
        String marker = "pneumo-paused " + point.replaceAll("#\\d+$", "");
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PAUSE_WAIT_SECONDS);
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
                if (line == null || line == END) {
                    fail("the training process did not reach " + point + " within " + PAUSE_WAIT_SECONDS
                            + " s (it " + (line == END ? "ended" : "is still running") + "); its output:\n" + seen);
                }
                seen.append(line).append('\n');
                if (line.equals(marker)) {
                    break;
                }
            }
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no finally block runs in the child
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the killed child exits").isTrue();
        }
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
