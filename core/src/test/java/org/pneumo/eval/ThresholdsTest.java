package org.pneumo.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ThresholdsTest {
    @Test
    void youdenCutsBetweenTheTwoScoresThatSeparateBest() {
        int[] truth = {0, 0, 0, 1, 1, 1};
        double[] score = {0.1, 0.2, 0.6, 0.7, 0.8, 0.9};
        assertThat(Thresholds.youden(truth, score)).isCloseTo(0.65, within(1e-12));
    }

    @Test
    void targetSensitivityGivesTheHighestThresholdThatReachesIt() {
        int[] truth = {1, 1, 1, 1, 0, 0};
        double[] score = {0.9, 0.8, 0.6, 0.3, 0.5, 0.1};
        // Keep 3 of 4 positives: cut below 0.6, above the next lower score 0.5 (a negative).
        assertThat(Thresholds.forSensitivity(truth, score, 0.75)).isCloseTo(0.55, within(1e-12));
        assertThat(Thresholds.forSensitivity(truth, score, 0.76)).isCloseTo(0.2, within(1e-12));
        assertThat(Thresholds.forSensitivity(truth, score, 1.0)).isCloseTo(0.2, within(1e-12));
        assertThat(Thresholds.forSensitivity(truth, score, 0.25)).isCloseTo(0.85, within(1e-12));
        assertThatThrownBy(() -> Thresholds.forSensitivity(truth, score, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target sensitivity 0.0");
    }

    @Test
    void belowTheLowestScoreTheThresholdIsHalfOfIt() {
        assertThat(Thresholds.forSensitivity(new int[] {1, 1, 0}, new double[] {0.4, 0.8, 0.6}, 1.0))
                .isCloseTo(0.2, within(1e-12));
    }

    @Test
    void oneClassGivesOneHalf() {
        assertThat(Thresholds.youden(new int[] {1, 1}, new double[] {0.2, 0.3})).isEqualTo(0.5);
        assertThat(Thresholds.forSensitivity(new int[] {0, 0}, new double[] {0.2, 0.3}, 0.9)).isEqualTo(0.5);
    }

    /**
     * The figures a threshold was chosen for must survive a recomputation of the scores that moves each by far less
     * than the gap between neighbours (another batch order, another thread count): no image may sit on the threshold.
     * A threshold placed on a score (the rule before this one) flips that image when its score moves down.
     */
    @Test
    void chosenThresholdsNeverSitOnAScoreSoFiguresReproduce() {
        Random random = new Random(1);
        for (int trial = 0; trial < 200; trial++) {
            int n = 20 + random.nextInt(200);
            int[] truth = new int[n];
            double[] score = new double[n];
            for (int i = 0; i < n; i++) {
                truth[i] = random.nextDouble() < 0.7 ? 1 : 0;
                score[i] = Math.round(Math.min(1, Math.max(0, 0.3 * truth[i] + 0.7 * random.nextDouble())) * 1e6)
                        / 1e6;
            }
            truth[0] = 0;
            truth[1] = 1;
            double target = 0.5 + 0.5 * random.nextDouble();
            for (double t : new double[] {Thresholds.youden(truth, score),
                Thresholds.forSensitivity(truth, score, target)}) {
                assertThat(score).doesNotContain(t);
                ConfusionMatrix chosen = ConfusionMatrix.atThreshold(truth, score, t);
                double[] lower = Arrays.stream(score).map(s -> s - 1e-9).toArray();
                assertThat(ConfusionMatrix.atThreshold(truth, lower, t)).isEqualTo(chosen);
            }
            double t = Thresholds.forSensitivity(truth, score, target);
            double[] lower = Arrays.stream(score).map(s -> s - 1e-9).toArray();
            assertThat(ConfusionMatrix.atThreshold(truth, lower, t).sensitivity().value())
                    .isGreaterThanOrEqualTo(target);
        }
    }
}
