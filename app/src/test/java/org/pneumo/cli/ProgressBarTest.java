package org.pneumo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void withoutATerminalPrintsALineEveryTenthWithTheCountAndDetails() {
        ProgressBar bar = new ProgressBar(out, "epoch 1/3", 40, false);
        for (int i = 1; i <= 40; i++) {
            bar.show(i, "loss 0.5000");
        }
        bar.finish();
        // The first step, then each further tenth: 0%, 10%, ..., 100%.
        assertThat(lines()).hasSize(11);
        assertThat(lines().get(0)).isEqualTo("epoch 1/3 [>                       ] 1/40 loss 0.5000");
        assertThat(lines().get(1)).startsWith("epoch 1/3 [==>").endsWith("] 4/40 loss 0.5000");
        assertThat(lines().get(10)).isEqualTo("epoch 1/3 [========================] 40/40 loss 0.5000");
    }

    @Test
    void onATerminalRedrawsInPlaceAndClearsItsLineAtTheEnd() {
        ProgressBar bar = new ProgressBar(out, "predicting", 8, true);
        for (int i = 1; i <= 8; i++) {
            bar.accept(i);
        }
        bar.finish();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\n").startsWith("\rpredicting [===").contains("8/8").contains("img/s left")
                .endsWith("\r\033[K");
    }

    @Test
    void countsNothingForAFewImages() {
        ProgressBar bar = new ProgressBar(out, "predicting", 5, false);
        for (int i = 1; i <= 5; i++) {
            bar.accept(i);
        }
        bar.finish();
        assertThat(bytes.size()).isZero();
        assertThat(ProgressBar.duration(65)).isEqualTo("1m05s");
        assertThat(ProgressBar.duration(7380)).isEqualTo("2h03m");
    }
}
