package org.pneumo.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The standing guard: every file of {@link InputCorpus} is read or refused exactly as documented, refusals are
 * {@link ImageDecodeException}s with their reason (never another exception, never an Error such as
 * OutOfMemoryError), and no file makes the decoder allocate more than a bound set by the network input.
 */
class InputCorpusTest {
    static final ImageDecoder DECODER = new ImageDecoder(new InputSpec(224, 1));
    /** Allocation bound per file: the bytes themselves a few times over, plus room for (4 x 224)^2 pixels. */
    static final long ALLOCATION_BOUND = 160L << 20;

    @TempDir
    Path dir;

    static Stream<InputCorpus.Case> cases() {
        return InputCorpus.cases(true).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachFileHasItsDocumentedOutcome(InputCorpus.Case c) throws Exception {
        Path file = Files.write(dir.resolve(c.name()), c.bytes());
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        Throwable thrown = null;
        byte[] out = null;
        try {
            out = DECODER.decode(file);
        } catch (Throwable t) {
            thrown = t;
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        if (c.readable()) {
            assertThat(thrown).as("%s", thrown).isNull();
            assertThat(out).hasSize(224 * 224);
        } else {
            assertThat(thrown).isInstanceOf(ImageDecodeException.class);
            assertThat(thrown.getMessage()).contains(c.reason()).doesNotContain("\tat ");
        }
        assertThat(allocated).as("bytes allocated").isLessThan(ALLOCATION_BOUND + 8L * c.bytes().length);
    }

    @Test
    void aFolderRunSkipsAndCountsEveryRefusedFile() throws Exception {
        List<LabeledImage> images = new ArrayList<>();
        int readable = 0;
        for (InputCorpus.Case c : InputCorpus.cases(false)) {
            Path file = Files.write(dir.resolve(c.name()), c.bytes());
            images.add(new LabeledImage(file, Diagnosis.NORMAL));
            readable += c.readable() ? 1 : 0;
        }
        List<String> warnings = new ArrayList<>();
        ImageSet set = ImageCache.decodeAll(images, DECODER, new BadFilePolicy(false, warnings::add), n -> { });
        assertThat(set.size()).isEqualTo(readable);
        assertThat(warnings).hasSize(images.size() - readable);
    }
}
