package org.pneumo.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankMetricsTest {
    @Test
    void aucCountsPairsAndHalfTies() {
        // Pairs (positive, negative): 0.8>0.1, 0.8>0.4, 0.4=0.4 (half), 0.4>0.1 -> 3.5 / 4.
        assertThat(RankMetrics.rocAuc(new int[] {0, 0, 1, 1}, new double[] {0.1, 0.4, 0.4, 0.8}))
                .isCloseTo(0.875, within(1e-12));
        assertThat(RankMetrics.rocAuc(new int[] {1, 0}, new double[] {0.9, 0.1})).isEqualTo(1.0);
        assertThat(RankMetrics.rocAuc(new int[] {1, 0}, new double[] {0.1, 0.9})).isEqualTo(0.0);
    }

    @Test
    void aucIsUndefinedWithOneClass() {
        assertThat(RankMetrics.rocAuc(new int[] {1, 1}, new double[] {0.2, 0.3})).isNaN();
    }

    @Test
    void sizeMismatchNamesBothSizes() {
        assertThatThrownBy(() -> RankMetrics.rocAuc(new int[2], new double[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2")
                .hasMessageContaining("3");
    }
}
