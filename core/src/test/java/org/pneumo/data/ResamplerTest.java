package org.pneumo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ResamplerTest {
    @Test
    void shrinkingWeighsInputPixelsByATentAsWideAsTheScale() {
        // 8 -> 2 pixels (scale 4): output 0 is centred at 2.0 and sees input pixels 0-5 with weights
        // 1 - |i + 0.5 - 2| / 4 = .625 .875 .875 .625 .375 .125 (sum 3.5); output 1 is centred at 6.0.
        float[] impulse = new float[8];
        impulse[4] = 1;
        float[] out = Resampler.resize(impulse, 8, 1, 2, 1);
        assertThat(out[0]).isCloseTo(0.375f / 3.5f, within(1e-6f));
        assertThat(out[1]).isCloseTo(0.625f / 3.5f, within(1e-6f));
        // Area averaging would give 0 and 0.25: the tent lets a pixel reach the neighbouring output.
    }

    @Test
    void shrinkingKeepsAConstantImageConstantAndIsSeparable() {
        float[] flat = new float[300 * 200];
        Arrays.fill(flat, 0.7f);
        float[] out = Resampler.resize(flat, 300, 200, 224, 224);
        for (float v : out) {
            assertThat(v).isCloseTo(0.7f, within(1e-5f));
        }
        // A vertical ramp stays a ramp in y only.
        float[] ramp = new float[64 * 48];
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                ramp[y * 64 + x] = y / 47f;
            }
        }
        float[] small = Resampler.resize(ramp, 64, 48, 16, 12);
        for (int y = 0; y < 12; y++) {
            for (int x = 1; x < 16; x++) {
                assertThat(small[y * 16 + x]).isCloseTo(small[y * 16], within(1e-6f));
            }
            if (y > 0) {
                assertThat(small[y * 16]).isGreaterThan(small[(y - 1) * 16]);
            }
        }
    }

    @Test
    void enlargingInterpolatesBilinearly() {
        float[] out = Resampler.resize(new float[] {0, 1}, 2, 1, 4, 1);
        // Output centres at input positions -0.25, 0.25, 0.75, 1.25 (clamped at the edges).
        assertThat(out).containsExactly(new float[] {0f, 0.25f, 0.75f, 1f}, within(1e-6f));
    }

    @Test
    void sameSizeIsACopy() {
        float[] in = {1, 2, 3, 4};
        float[] out = Resampler.resize(in, 2, 2, 2, 2);
        assertThat(out).containsExactly(in).isNotSameAs(in);
    }
}
