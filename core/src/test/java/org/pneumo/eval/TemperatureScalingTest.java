package org.pneumo.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TemperatureScalingTest {
    private static double sigmoid(double s) {
        return 1 / (1 + Math.exp(-s));
    }

    @Test
    void recoversTheTemperatureOfAnOverconfidentModel() {
        Random r = new Random(4);
        int n = 20000;
        int[] truth = new int[n];
        double[] reported = new double[n];
        for (int i = 0; i < n; i++) {
            double z = r.nextGaussian() + (r.nextBoolean() ? 2 : -2);
            truth[i] = r.nextDouble() < sigmoid(z) ? 1 : 0; // z is the calibrated logit
            reported[i] = sigmoid(3 * z); // the model says three times too much
        }
        double t = TemperatureScaling.fit(truth, reported);
        assertThat(t).isCloseTo(3.0, within(0.2));
        double before = TemperatureScaling.expectedCalibrationError(truth, reported, 10);
        double after = TemperatureScaling.expectedCalibrationError(truth,
                TemperatureScaling.apply(reported, t), 10);
        assertThat(before).isGreaterThan(0.05);
        assertThat(after).isLessThan(0.02);
    }

    @Test
    void scalingKeepsOrderAndTheMiddle() {
        assertThat(TemperatureScaling.apply(0.5, 4)).isCloseTo(0.5, within(1e-12));
        assertThat(TemperatureScaling.apply(0.9, 1)).isEqualTo(0.9);
        assertThat(TemperatureScaling.apply(0.9, 2)).isCloseTo(sigmoid(Math.log(9) / 2), within(1e-12));
        assertThat(TemperatureScaling.apply(0.7, 2)).isLessThan(TemperatureScaling.apply(0.8, 2));
        assertThat(TemperatureScaling.apply(1.0, 2)).isLessThan(1.0).isGreaterThan(0.999);
        assertThatThrownBy(() -> TemperatureScaling.apply(0.5, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("temperature 0.0");
    }

    @Test
    void eceIsTheImageWeightedGapPerBin() {
        int[] truth = {0, 1, 1, 0};
        double[] p = {0.1, 0.9, 0.8, 0.3};
        assertThat(TemperatureScaling.expectedCalibrationError(truth, p, 10)).isCloseTo(0.175, within(1e-12));
    }

    @Test
    void anUnderconfidentModelGetsATemperatureBelowOne() {
        Random r = new Random(9);
        int n = 5000;
        int[] truth = new int[n];
        double[] reported = new double[n];
        for (int i = 0; i < n; i++) {
            double z = 3 * r.nextGaussian();
            truth[i] = r.nextDouble() < sigmoid(z) ? 1 : 0;
            reported[i] = sigmoid(z / 2);
        }
        assertThat(TemperatureScaling.fit(truth, reported)).isCloseTo(0.5, within(0.05));
        assertThatThrownBy(() -> TemperatureScaling.fit(new int[] {1}, new double[] {0.2, 0.3}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
