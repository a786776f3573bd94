package org.pneumo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pneumo.data.InputCorpus;
import org.pneumo.train.TinyModel;

/** The standing guard's corpus through {@code pneumo predict}: one line per file, the reasons, no stack trace. */
class CliCorpusTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final CliRun cli = new CliRun();

    @Test
    void predictReadsOrNamesEveryFile() throws Exception {
        Path model = TinyModel.train(dir.resolve("m"), 20, 1);
        Path folder = Files.createDirectories(dir.resolve("corpus"));
        List<InputCorpus.Case> cases = InputCorpus.cases(true);
        long readable = cases.stream().filter(InputCorpus.Case::readable).count();
        for (InputCorpus.Case c : cases) {
            Files.write(folder.resolve(c.name()), c.bytes());
        }
        int code = cli.run("predict", "--model", model.toString(), folder.toString());
        assertThat(code).as(cli.err()).isEqualTo(PredictCommand.EXIT_SOME_FAILED);
        assertThat(cli.out().lines()).hasSize((int) readable);
        for (InputCorpus.Case c : cases) {
            if (!c.readable()) {
                assertThat(cli.err()).contains("error: " + folder.resolve(c.name()) + ": ");
            }
        }
        assertThat(cli.err()).doesNotContain("\tat ").doesNotContain("OutOfMemoryError")
                .contains(cases.size() + " images: ").contains((cases.size() - readable) + " could not be read");
    }
}
