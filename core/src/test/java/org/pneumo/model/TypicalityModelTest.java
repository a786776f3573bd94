package org.pneumo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TypicalityModelTest {

    /** Rows from two Gaussians (class 0 at -mean, class 1 at +mean on feature 0) with independent unit noise. */
    private static float[][] sample(Random random, int n, int d, double[] scales, double shift, int[] labelsOut) {
        float[][] rows = new float[n][d];
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            if (labelsOut != null) {
                labelsOut[i] = label;
            }
            for (int j = 0; j < d; j++) {
                rows[i][j] = (float) (random.nextGaussian() * scales[j] + shift);
            }
            rows[i][0] += label == 0 ? -3 : 3;
        }
        return rows;
    }

    private static double[] scales(int d) {
        double[] s = new double[d];
        for (int j = 0; j < d; j++) {
            s[j] = 0.5 + j % 4; // unequal variances: Mahalanobis differs from Euclidean
        }
        return s;
    }

    @Test
    void flagsAboutTheChosenShareOfTheSameDistributionAndAllOfAShiftedOne() {
        Random random = new Random(7);
        int d = 16;
        int[] labels = new int[4000];
        float[][] train = sample(random, 4000, d, scales(d), 0, labels);
        float[][] validation = sample(random, 2000, d, scales(d), 0, null);
        TypicalityModel model = TypicalityModel.fit(train, labels, 2, validation, 0.99);

        float[][] fresh = sample(random, 5000, d, scales(d), 0, null);
        long flagged = Arrays.stream(fresh).filter(x -> !model.inScope(model.distance(x))).count();
        assertThat(flagged / 5000.0).isBetween(0.004, 0.02);

        float[][] shifted = sample(random, 500, d, scales(d), 4, null);
        long shiftedFlagged = Arrays.stream(shifted).filter(x -> !model.inScope(model.distance(x))).count();
        assertThat(shiftedFlagged).isEqualTo(500);
    }

    @Test
    void distanceIsMahalanobisToTheNearestClassMean() {
        Random random = new Random(3);
        int d = 4;
        int[] labels = new int[20000];
        float[][] train = sample(random, 20000, d, new double[] {1, 2, 1, 1}, 0, labels);
        TypicalityModel model = TypicalityModel.fit(train, labels, 2, train, 0.99);
        // Class 1 sits at (3, 0, 0, 0); one point 2 units away along feature 1 (sd 2) is one sd away.
        assertThat(model.distance(new float[] {3, 2, 0, 0})).isCloseTo(1.0, within(0.05));
        // Along feature 2 (sd 1) the same step is two sds.
        assertThat(model.distance(new float[] {3, 0, 2, 0})).isCloseTo(2.0, within(0.05));
        // Nearest mean: a point at class 0's mean is at distance ~0.
        assertThat(model.distance(new float[] {-3, 0, 0, 0})).isLessThan(0.05);
        assertThat(model.shrinkage()).isLessThan(0.01); // plenty of rows: hardly any shrinkage
    }

    @Test
    void classDistancesGiveEachMeanAndTheNearestIsTheDistance() {
        Random random = new Random(3);
        int[] labels = new int[20000];
        float[][] train = sample(random, 20000, 4, new double[] {1, 2, 1, 1}, 0, labels);
        TypicalityModel model = TypicalityModel.fit(train, labels, 2, train, 0.99);
        float[] x = {1, 0, 0, 0}; // 4 sds from class 0's mean, 2 from class 1's, along feature 0
        double[] d = model.classDistances(x);
        assertThat(d[0]).isCloseTo(4.0, within(0.1));
        assertThat(d[1]).isCloseTo(2.0, within(0.1));
        assertThat(model.distance(x)).isEqualTo(Math.min(d[0], d[1]));
        assertThatThrownBy(() -> model.classDistances(new float[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 4 features, got 3");
    }

    @Test
    void cutSitsBetweenTwoValidationDistancesAndPercentileCountsThem() {
        Random random = new Random(11);
        int[] labels = new int[400];
        float[][] train = sample(random, 400, 3, scales(3), 0, labels);
        float[][] validation = sample(random, 100, 3, scales(3), 0, null);
        TypicalityModel model = TypicalityModel.fit(train, labels, 2, validation, 0.95);
        double[] distances = Arrays.stream(validation).mapToDouble(model::distance).sorted().toArray();
        double cut = model.cut();
        assertThat(cut).isStrictlyBetween(distances[94], distances[95]);
        assertThat(Arrays.stream(distances).filter(model::inScope).count()).isEqualTo(95);
        assertThat(model.percentile(distances[0] - 1)).isZero();
        assertThat(model.percentile(distances[49])).isEqualTo(0.5);
        assertThat(model.percentile(distances[99] + 1)).isEqualTo(1.0);
        assertThat(model.inScope(Double.NaN)).isFalse();
    }

    @Test
    void moreFeaturesThanRowsStillGivesAUsableModel() {
        Random random = new Random(5);
        int d = 80;
        int[] labels = new int[40];
        float[][] train = sample(random, 40, d, scales(d), 0, labels);
        float[][] validation = sample(random, 40, d, scales(d), 0, null);
        TypicalityModel model = TypicalityModel.fit(train, labels, 2, validation, 0.99);
        assertThat(model.shrinkage()).isGreaterThan(0.2);
        float[][] shifted = sample(random, 20, d, scales(d), 5, null);
        assertThat(Arrays.stream(shifted).filter(x -> !model.inScope(model.distance(x))).count()).isEqualTo(20);
    }

    @Test
    void aConstantFeatureDoesNotBreakTheFit() {
        Random random = new Random(2);
        int[] labels = new int[200];
        float[][] train = sample(random, 200, 5, scales(5), 0, labels);
        for (float[] row : train) {
            row[3] = 0; // a dead unit
        }
        TypicalityModel model = TypicalityModel.fit(train, labels, 2, train, 0.99);
        assertThat(model.distance(new float[] {3, 0, 0, 0, 0})).isFinite();
        assertThat(model.inScope(model.distance(new float[] {3, 0, 0, 1, 0}))).isFalse();
    }

    @Test
    void roundTripsThroughItsFileLayout() throws IOException {
        Random random = new Random(9);
        int[] labels = new int[300];
        float[][] train = sample(random, 300, 6, scales(6), 0, labels);
        float[][] validation = sample(random, 50, 6, scales(6), 0, null);
        TypicalityModel model = TypicalityModel.fit(train, labels, 2, validation, 0.99);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        model.write(out);
        TypicalityModel back = TypicalityModel.read(new ByteArrayInputStream(out.toByteArray()));
        float[] probe = {1, 2, 3, 4, 5, 6};
        assertThat(back.distance(probe)).isEqualTo(model.distance(probe));
        assertThat(back.cut()).isEqualTo(model.cut());
        assertThat(back.cutPercentile()).isEqualTo(0.99);
        assertThat(back.validationCount()).isEqualTo(50);

        byte[] bytes = out.toByteArray();
        assertThatThrownBy(() -> TypicalityModel.read(new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length - 3))))
                .isInstanceOf(IOException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> TypicalityModel.read(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5})))
                .isInstanceOf(IOException.class).hasMessageContaining("not a typicality model");
    }

    @Test
    void rejectsBadInputWithMessagesNamingIt() {
        float[][] rows = {{1, 2}, {2, 3}, {3, 1}};
        assertThatThrownBy(() -> TypicalityModel.fit(rows, new int[] {0, 1}, 2, rows, 0.99))
                .hasMessageContaining("3 rows").hasMessageContaining("2");
        assertThatThrownBy(() -> TypicalityModel.fit(rows, new int[] {0, 1, 0}, 2, rows, 1.5))
                .hasMessageContaining("cutPercentile 1.5");
        assertThatThrownBy(() -> TypicalityModel.fit(rows, new int[] {0, 0, 0}, 2, rows, 0.99))
                .hasMessageContaining("class 1 has no training rows");
        assertThatThrownBy(() -> TypicalityModel.fit(rows, new int[] {0, 1, 0}, 2, new float[0][], 0.99))
                .hasMessageContaining("no validation features");
        TypicalityModel model = TypicalityModel.fit(rows, new int[] {0, 1, 0}, 2, rows, 0.99);
        assertThatThrownBy(() -> model.distance(new float[3])).hasMessageContaining("expected 2 features, got 3");
    }
}
