package org.pneumo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelDecoderTest {
    @Test
    void deliversEveryInputInOrderInChunksWithErrorsAsEntries() throws Exception {
        List<Integer> inputs = IntStream.range(0, 23).boxed().toList();
        List<Integer> seen = new ArrayList<>();
        List<Integer> chunkSizes = new ArrayList<>();
        new ParallelDecoder(3, 8).<Integer>decode(inputs.iterator(), i -> {
            if (i % 7 == 3) {
                throw new IOException("bad " + i);
            }
            java.util.concurrent.locks.LockSupport.parkNanos((i * 37) % 5 * 1_000_000L); // later ones often finish first
            return new byte[] {(byte) (int) i};
        }, 5, chunk -> {
            chunkSizes.add(chunk.size());
            for (ParallelDecoder.Decoded<Integer> d : chunk) {
                seen.add(d.input());
                if (d.input() % 7 == 3) {
                    assertThat(d.failed()).isTrue();
                    assertThat(d.error()).isEqualTo("bad " + d.input());
                } else {
                    assertThat(d.pixels()).containsExactly((byte) (int) d.input());
                }
            }
        });
        assertThat(seen).containsExactlyElementsOf(inputs);
        assertThat(chunkSizes).containsExactly(5, 5, 5, 5, 3);
    }

    @Test
    void neverHoldsMoreThanTheWindowWhateverTheNumberOfInputs() throws Exception {
        AtomicInteger alive = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger delivered = new AtomicInteger();
        int window = 6;
        new ParallelDecoder(4, window).<Integer>decode(IntStream.range(0, 500).iterator(), i -> {
            peak.accumulateAndGet(alive.incrementAndGet(), Math::max);
            return new byte[1024];
        }, 4, chunk -> {
            for (int k = 0; k < chunk.size(); k++) {
                alive.decrementAndGet();
                delivered.incrementAndGet();
            }
        });
        assertThat(delivered.get()).isEqualTo(500);
        assertThat(peak.get()).as("decoded or decoding, not yet consumed").isBetween(1, window);
    }

    @Test
    void aMessagelessFailureIsNamedByItsType() throws Exception {
        List<String> errors = new ArrayList<>();
        new ParallelDecoder(1, 1).<String>decode(List.of("x").iterator(), s -> {
            throw new IllegalStateException();
        }, 1, chunk -> errors.add(chunk.get(0).error()));
        assertThat(errors).containsExactly("java.lang.IllegalStateException");
    }

    @Test
    void refusesBadSettings() {
        assertThatThrownBy(() -> new ParallelDecoder(0, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads 0");
        assertThatThrownBy(() -> new ParallelDecoder(2, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window 0");
        assertThatThrownBy(() -> new ParallelDecoder(2, 4).<Integer>decode(List.of(1).iterator(), i -> new byte[0],
                5, chunk -> {})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunk of 5");
    }
}
