package org.pneumo.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ThresholdRuleTest {
    private static final int[] TRUTH = {1, 1, 1, 1, 0, 0};
    private static final double[] SCORE = {0.9, 0.8, 0.6, 0.3, 0.5, 0.1};

    @Test
    void choosesAsThresholdsDoesAndSaysSoInTheWordsModelsRecord() {
        ThresholdRule sensitivity = ThresholdRule.sensitivity(0.75);
        assertThat(sensitivity.choose(TRUTH, SCORE)).isEqualTo(Thresholds.forSensitivity(TRUTH, SCORE, 0.75));
        assertThat(sensitivity.description()).isEqualTo("highest threshold with validation sensitivity >= 0.75");
        ThresholdRule youden = ThresholdRule.youden();
        assertThat(youden.choose(TRUTH, SCORE)).isEqualTo(Thresholds.youden(TRUTH, SCORE));
        assertThat(youden.description()).isEqualTo("Youden's J on the validation split");
    }

    @Test
    void aTargetOutsideTheUnitIntervalIsRefused() {
        assertThatThrownBy(() -> ThresholdRule.sensitivity(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target sensitivity 0.0 is outside (0, 1]");
        assertThatThrownBy(() -> ThresholdRule.sensitivity(1.01)).isInstanceOf(IllegalArgumentException.class);
    }
}
