package org.pneumo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    long now;

    /** Runs one epoch of {@code batches} steps, each taking {@code secondsPerStep} on the fake clock. */
    void epoch(TrainingSpeed speed, int batches, double secondsPerStep) {
        ConsoleProgress p = new ConsoleProgress(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, speed, () -> now);
        p.epochStarted(1, 2, batches);
        for (int b = 1; b <= batches; b++) {
            now += (long) (secondsPerStep * 1e9);
            p.batchFinished(b, batches, 0.5, 0.8, 0);
        }
    }

    @Test
    void printsTheSpeedOnceAfterTheFirstSteps() {
        TrainingSpeed speed = new TrainingSpeed("cnn-lstm", 224, 32, 2);
        epoch(speed, 40, 0.64);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("speed after the first steps: 50.0 images/s").contains("about 57");
        assertThat(text.split("speed after", -1)).hasSize(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void warnsOnStandardErrorWhenFarTooSlow() {
        epoch(new TrainingSpeed("cnn-lstm", 224, 32, 2), 20, 12.3);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("warning: training is far slower than expected")
                .contains("2.6 images/s");
    }

    @Test
    void shortRunsAndNoExpectationPrintNothing() {
        epoch(new TrainingSpeed("cnn-lstm", 224, 32, 2), 5, 1);
        epoch(null, 30, 1);
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("speed after");
    }

    @Test
    void theExpectationScalesWithCoresAndPixels() {
        assertThat(new TrainingSpeed("cnn-lstm", 224, 32, 2).expected()).isEqualTo(57.4, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(new TrainingSpeed("cnn-lstm", 112, 32, 4).expected()).isEqualTo(57.4 * 2 * 4,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(new TrainingSpeed("seed", 224, 32, 2).expected()).isEqualTo(50.8, org.assertj.core.data.Offset.offset(1e-9));
        String verdict = new TrainingSpeed("seed", 224, 32, 2).verdict(3, false, 9.5);
        assertThat(verdict).contains("jemalloc is not preloaded").contains("load average is 9.5 on 2 cores");
    }
}
