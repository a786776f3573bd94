package org.pneumo.train;

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
    void youdenPicksTheSeparatingThreshold() {
        int[] truth = {0, 0, 0, 1, 1, 1};
        double[] score = {0.1, 0.2, 0.6, 0.7, 0.8, 0.9};
        assertThat(RankMetrics.youdenThreshold(truth, score)).isEqualTo(0.7);
    }

    @Test
    void targetSensitivityGivesTheHighestThresholdThatReachesIt() {
        int[] truth = {1, 1, 1, 1, 0, 0};
        double[] score = {0.9, 0.8, 0.6, 0.3, 0.5, 0.1};
        assertThat(RankMetrics.thresholdForSensitivity(truth, score, 0.75)).isEqualTo(0.6);
        assertThat(RankMetrics.thresholdForSensitivity(truth, score, 0.76)).isEqualTo(0.3);
        assertThat(RankMetrics.thresholdForSensitivity(truth, score, 1.0)).isEqualTo(0.3);
        assertThat(RankMetrics.thresholdForSensitivity(truth, score, 0.25)).isEqualTo(0.9);
        assertThatThrownBy(() -> RankMetrics.thresholdForSensitivity(truth, score, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target sensitivity 0.0");
    }

    @Test
    void sizeMismatchNamesBothSizes() {
        assertThatThrownBy(() -> RankMetrics.rocAuc(new int[2], new double[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2")
                .hasMessageContaining("3");
    }
}
