package org.pneumo.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ModelInfoTest {
    @Test
    void idsOfModelsMadeInTheSameSecondDifferByTheirWeights() {
        Instant now = Instant.parse("2026-11-26T06:00:00.123Z");
        String a = ModelInfo.newId("seed", now, new byte[] {1, 2, 3});
        String b = ModelInfo.newId("seed", now.plusMillis(500), new byte[] {1, 2, 4});
        assertThat(a).startsWith("seed-20261126-060000-").hasSize("seed-20261126-060000-".length() + 8);
        assertThat(b).startsWith("seed-20261126-060000-").isNotEqualTo(a);
        // SHA-256 of the bytes 1, 2, 3 begins 039058c6.
        assertThat(a).endsWith("-039058c6");
    }
}
