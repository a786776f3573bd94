package org.pneumo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.SyntheticImages;

/** The built jar, run through bin/pneumo as the README does: the shipped model loads from inside the jar. */
class PneumoJarIT {
    static final Path ROOT = Path.of(System.getProperty("pneumo.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    static String run(Path workDir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("bin/pneumo").toString()));
        command.addAll(List.of(args));
        // Output to a file, not a pipe: reading a pipe to its end would wait for a hung child forever.
        Path log = Files.createTempFile("pneumo-it", ".log");
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            boolean finished = p.waitFor(120, TimeUnit.SECONDS);
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(finished).as("bin/pneumo %s finished within 120 s; output so far:%n%s", args[0], out).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            // The launcher's first line (standard error, merged here) names the allocator; the command's output follows.
            assertThat(out).startsWith("pneumo: memory allocator: ");
            return out.substring(out.indexOf('\n') + 1);
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    @Test
    void predictsWithTheShippedModelFromTheJar() throws Exception {
        Path image = SyntheticImages.write(SyntheticImages.noisy(160, true, new Random(1), null),
                dir.resolve("x.png"), "png");
        String out = run(dir, "predict", image.toString());
        assertThat(out).containsPattern("(NORMAL|PNEUMONIA)\\s+[<>]?0\\.\\d{3}\\s");
        String card = run(dir, "info");
        assertThat(card).startsWith("# Model card: mobilenet-lstm-").contains("## Known failure modes");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("x.png");
        }
    }

    @Test
    void servePrintsProgressAndTheAddressOnStandardOutput() throws Exception {
        Process p = new ProcessBuilder(ROOT.resolve("bin/pneumo").toString(), "serve", "--port", "0")
                .directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            List<String> seen = new java.util.ArrayList<>();
            String line;
            while ((line = lines.readLine()) != null && !line.contains("serving")) {
                seen.add(line);
            }
            assertThat(seen).as("progress before the address").anyMatch(l -> l.contains("loading the model"));
            assertThat(line).as(String.join("\n", seen)).containsPattern("at http://127\\.0\\.0\\.1:\\d+/ ");
        } finally {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void theLauncherSizesTheHeapForTheModelAndKeepsTheUsersOptions() throws Exception {
        Path model = Files.createDirectories(dir.resolve("rgb-model"));
        Files.writeString(model.resolve("model.json"), "{\n  \"input\": {\n    \"imageSize\": 224,\n"
                + "    \"channels\": 3\n  }\n}\n");
        String gray = launcherCommand(Map.of(), "predict", "x.png");
        assertThat(gray).contains(" -Xmx1g ");
        assertThat(launcherCommand(Map.of(), "predict", "--model", model.toString(), "x.png")).contains(" -Xmx2g ");
        assertThat(launcherCommand(Map.of(), "serve", "--model=" + model)).contains(" -Xmx2g ");
        assertThat(launcherCommand(Map.of(), "train", "--channels", "3")).contains(" -Xmx2g ");
        String withOptions = launcherCommand(Map.of("PNEUMO_JAVA_OPTS", "-Dsome.flag=1 -Xss4m"), "info");
        assertThat(withOptions).contains(" -Xmx1g -Dsome.flag=1 -Xss4m ");
        // Inference leaves half the cores to decoding; training keeps PyTorch's own thread count.
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        assertThat(gray).contains(" -Xmx1g -Dai.djl.pytorch.num_threads=" + threads + " ");
        assertThat(launcherCommand(Map.of(), "train", "--data", "d")).doesNotContain("num_threads");
        assertThat(launcherCommand(Map.of("PNEUMO_NO_JEMALLOC", "1"), "info"))
                .contains("pneumo: memory allocator: glibc malloc").contains("apt-get install libjemalloc2");
    }

    /** What bin/pneumo would run (PNEUMO_PRINT_COMMAND), with its standard error. */
    static String launcherCommand(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("bin/pneumo").toString()));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().put("PNEUMO_PRINT_COMMAND", "1");
        b.environment().remove("PNEUMO_JAVA_OPTS");
        b.environment().putAll(env);
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).startsWith("pneumo: memory allocator: ");
        return out;
    }
}
