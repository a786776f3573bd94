package org.pneumo.data;

import java.util.Random;

/**
 * Random training-time changes suited to chest X-rays: small rotations, shifts and zoom (edges extended), blur or
 * sharpening, brightness and contrast. No flips: a mirrored chest puts the heart on the wrong side. Blur and sharpening
 * stand for the many ways an image reaches 224 pixels (scanner, export, resize filter), which otherwise shift the
 * scores of the same chest.
 *
 * @param maxRotationDegrees rotation drawn from [-r, r]
 * @param maxShift shift drawn from [-s, s] times the image side, per axis
 * @param maxZoom zoom factor drawn from [1 - z, 1 + z]
 * @param maxBrightness added to [0, 1] pixels, drawn from [-b, b]
 * @param maxContrast contrast factor drawn from [1 - c, 1 + c], around mid-gray
 * @param maxSharpness amount k drawn from [-s, s]: the pixel moves by k times its difference from its 3x3 mean, so
 *     k = -1 is a full 3x3 box blur and k > 0 an unsharp mask
 */
public record Augmentation(
        double maxRotationDegrees, double maxShift, double maxZoom, double maxBrightness, double maxContrast,
        double maxSharpness) {

    /** The defaults used for training. */
    public static final Augmentation DEFAULT = new Augmentation(10, 0.06, 0.10, 0.10, 0.15, 0.8);

    public Augmentation {
        check("rotation", maxRotationDegrees, 45);
        check("shift", maxShift, 0.5);
        check("zoom", maxZoom, 0.5);
        check("brightness", maxBrightness, 0.5);
        check("contrast", maxContrast, 0.9);
        check("sharpness", maxSharpness, 1);
    }

    private static void check(String name, double v, double max) {
        if (!(v >= 0 && v <= max)) {
            throw new IllegalArgumentException(name + " " + v + " is outside [0, " + max + "]");
        }
    }

    /**
     * Writes an augmented copy of {@code src} (uint8, channels x size x size) as floats in [0, 1] into {@code dst} at
     * {@code offset}.
     */
    public void apply(byte[] src, InputSpec spec, float[] dst, int offset, Random random) {
        int n = spec.imageSize();
        double angle = Math.toRadians(uniform(random, maxRotationDegrees));
        double zoom = 1 + uniform(random, maxZoom);
        double tx = uniform(random, maxShift) * n;
        double ty = uniform(random, maxShift) * n;
        float brightness = (float) uniform(random, maxBrightness);
        float contrast = (float) (1 + uniform(random, maxContrast));
        float sharpness = (float) uniform(random, maxSharpness);
        // Inverse map: output pixel -> source position.
        double cos = Math.cos(angle) / zoom;
        double sin = Math.sin(angle) / zoom;
        double c = (n - 1) / 2.0;
        int plane = n * n;
        float[] work = new float[plane];
        for (int ch = 0; ch < spec.channels(); ch++) {
            int base = ch * plane;
            for (int y = 0; y < n; y++) {
                double dy = y - c - ty;
                for (int x = 0; x < n; x++) {
                    double dx = x - c - tx;
                    double sx = cos * dx + sin * dy + c;
                    double sy = -sin * dx + cos * dy + c;
                    work[y * n + x] = bilinear(src, base, n, sx, sy) / 255f;
                }
            }
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    float v = work[y * n + x];
                    if (sharpness != 0) {
                        v += sharpness * (v - mean3x3(work, n, x, y));
                    }
                    v = (v - 0.5f) * contrast + 0.5f + brightness;
                    dst[offset + base + y * n + x] = v < 0 ? 0 : Math.min(v, 1f);
                }
            }
        }
    }

    /** Mean of the 3x3 neighbourhood, edges extended. */
    private static float mean3x3(float[] img, int n, int x, int y) {
        float sum = 0;
        for (int j = -1; j <= 1; j++) {
            int row = Math.max(0, Math.min(n - 1, y + j)) * n;
            for (int i = -1; i <= 1; i++) {
                sum += img[row + Math.max(0, Math.min(n - 1, x + i))];
            }
        }
        return sum / 9f;
    }

    private static float bilinear(byte[] src, int base, int n, double x, double y) {
        x = Math.max(0, Math.min(n - 1, x));
        y = Math.max(0, Math.min(n - 1, y));
        int x0 = (int) x;
        int y0 = (int) y;
        int x1 = Math.min(x0 + 1, n - 1);
        int y1 = Math.min(y0 + 1, n - 1);
        float fx = (float) (x - x0);
        float fy = (float) (y - y0);
        float a = src[base + y0 * n + x0] & 0xff;
        float b = src[base + y0 * n + x1] & 0xff;
        float cc = src[base + y1 * n + x0] & 0xff;
        float d = src[base + y1 * n + x1] & 0xff;
        return (a * (1 - fx) + b * fx) * (1 - fy) + (cc * (1 - fx) + d * fx) * fy;
    }

    private static double uniform(Random random, double max) {
        return max == 0 ? 0 : (random.nextDouble() * 2 - 1) * max;
    }
}
