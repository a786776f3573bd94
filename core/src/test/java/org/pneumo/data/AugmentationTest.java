package org.pneumo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmentationTest {

    private static final InputSpec SPEC = new InputSpec(32, 1);

    /** A checkerboard of 4-pixel squares: plenty of edges for blur and sharpening to act on. */
    private static byte[] checkerboard() {
        byte[] img = new byte[32 * 32];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                img[y * 32 + x] = (byte) (((x / 4 + y / 4) % 2 == 0) ? 64 : 192);
            }
        }
        return img;
    }

    private static float[] apply(Augmentation a, byte[] src, long seed) {
        float[] out = new float[src.length];
        a.apply(src, SPEC, out, 0, new Random(seed));
        return out;
    }

    /** Sum of squared differences between horizontal neighbours: falls with blur, rises with sharpening. */
    private static double edgeEnergy(float[] img) {
        double sum = 0;
        for (int y = 0; y < 32; y++) {
            for (int x = 1; x < 32; x++) {
                double d = img[y * 32 + x] - img[y * 32 + x - 1];
                sum += d * d;
            }
        }
        return sum;
    }

    @Test
    void noChangeLeavesThePixelsScaled() {
        byte[] src = checkerboard();
        float[] out = apply(new Augmentation(0, 0, 0, 0, 0, 0), src, 1);
        for (int i = 0; i < src.length; i++) {
            assertThat(out[i]).isCloseTo((src[i] & 0xff) / 255f, org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void sharpnessBlursOrSharpensAcrossDraws() {
        byte[] src = checkerboard();
        double original = edgeEnergy(apply(new Augmentation(0, 0, 0, 0, 0, 0), src, 1));
        Augmentation sharpOnly = new Augmentation(0, 0, 0, 0, 0, 1);
        boolean blurred = false;
        boolean sharpened = false;
        // One stream: the first draws of Randoms seeded 0, 1, 2... are nearly equal.
        Random random = new Random(3);
        for (int draw = 0; draw < 40; draw++) {
            float[] out = new float[src.length];
            sharpOnly.apply(src, SPEC, out, 0, random);
            double e = edgeEnergy(out);
            blurred |= e < original * 0.9;
            sharpened |= e > original * 1.1;
            for (float v : out) {
                assertThat(v).isBetween(0f, 1f);
            }
        }
        assertThat(blurred).as("some draws blur").isTrue();
        assertThat(sharpened).as("some draws sharpen").isTrue();
    }

    @Test
    void sameSeedSameImage() {
        byte[] src = checkerboard();
        assertThat(apply(Augmentation.DEFAULT, src, 7)).containsExactly(apply(Augmentation.DEFAULT, src, 7));
        assertThat(apply(Augmentation.DEFAULT, src, 7)).isNotEqualTo(apply(Augmentation.DEFAULT, src, 8));
    }

    @Test
    void rejectsOutOfRangeSettings() {
        assertThatThrownBy(() -> new Augmentation(0, 0, 0, 0, 0, 1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sharpness 1.5");
        assertThatThrownBy(() -> new Augmentation(-1, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rotation");
    }
}
