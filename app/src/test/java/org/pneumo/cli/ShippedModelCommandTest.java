package org.pneumo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.SyntheticImages;

/** The commands use the model shipped inside the library when they get no {@code --model}. */
class ShippedModelCommandTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final CliRun cli = new CliRun();

    @Test
    void commandsUseItWithoutModelOption() throws Exception {
        Path image = SyntheticImages.write(SyntheticImages.noisy(160, false, new Random(2), null),
                dir.resolve("x.png"), "png");
        assertThat(cli.run("predict", image.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).containsPattern("(NORMAL|PNEUMONIA)\\s+[<>]?0\\.\\d{3}\\s+.*x\\.png");
        assertThat(cli.run("info")).isZero();
        assertThat(cli.out()).contains("\n# Model card: mobilenet-lstm-");
        assertThat(cli.run("info", "--set-card", image.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("read-only");
    }
}
