package org.pneumo.infer;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.pneumo.data.Diagnosis;

class HeatmapImageTest {
    static BufferedImage grayImage(int side, int value) {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                image.getRaster().setSample(x, y, 0, value);
            }
        }
        return image;
    }

    static Prediction prediction(double probability) {
        float[] hot = new float[7 * 7];
        Arrays.fill(hot, 1f);
        return new Prediction("/some/folder/child 1.png", probability,
                probability >= 0.5 ? Diagnosis.PNEUMONIA : Diagnosis.NORMAL, 0.5, "model-x", new Heatmap(7, 7, hot));
    }

    @Test
    void aConfidentNormalShowsAlmostNoColourAndAConfidentPneumoniaDoes() {
        BufferedImage xray = grayImage(224, 128);
        int normal = HeatmapImage.render(xray, prediction(0.001)).getRGB(100, 100);
        int pneumonia = HeatmapImage.render(xray, prediction(0.999)).getRGB(100, 100);
        assertThat(spread(normal)).isLessThanOrEqualTo(1);
        assertThat(spread(pneumonia)).isGreaterThan(40);
    }

    @Test
    void smallInputsAreEnlargedTo512Pixels() {
        BufferedImage picture = HeatmapImage.render(grayImage(40, 90), prediction(0.7));
        // 512 pixels of X-ray plus the legend column.
        assertThat(picture.getWidth()).isEqualTo(512 + 150);
        assertThat(picture.getHeight()).isGreaterThanOrEqualTo(512);
    }

    @Test
    void probabilitiesAreNeverRoundedToCertainty() {
        assertThat(HeatmapImage.probability(0.9996)).isEqualTo(">0.999");
        assertThat(HeatmapImage.probability(0.0004)).isEqualTo("<0.001");
        assertThat(HeatmapImage.probability(0.5604)).isEqualTo("0.560");
        assertThat(HeatmapImage.fileName("/some/folder/child 1.png")).isEqualTo("child 1.png");
        assertThat(HeatmapImage.fileName("C:\\x\\y.dcm")).isEqualTo("y.dcm");
    }

    /** How far a pixel is from gray: the largest difference between its channels. */
    static int spread(int rgb) {
        int r = rgb >> 16 & 0xff;
        int g = rgb >> 8 & 0xff;
        int b = rgb & 0xff;
        return Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
    }
}
