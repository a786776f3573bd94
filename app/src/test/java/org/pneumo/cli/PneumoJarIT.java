package org.pneumo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
            return out;
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    @Test
    void predictsWithTheShippedModelFromTheJar() throws Exception {
        Path image = SyntheticImages.write(SyntheticImages.noisy(96, true, new Random(1), null),
                dir.resolve("x.png"), "png");
        String out = run(dir, "predict", image.toString());
        assertThat(out).containsPattern("(NORMAL|PNEUMONIA)\\s+0\\.\\d+");
        String card = run(dir, "info");
        assertThat(card).startsWith("# Model card: cnn-lstm-").contains("## Known failure modes");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("x.png");
        }
    }
}
