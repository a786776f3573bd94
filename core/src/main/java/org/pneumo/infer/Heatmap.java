package org.pneumo.infer;

/**
 * A Grad-CAM map over the network's input: {@code width x height} values in [0, 1], row-major, 1 where the
 * evidence for PNEUMONIA is strongest. The map covers the whole image (stretch it to the image's own aspect ratio).
 */
public record Heatmap(int width, int height, float[] values) {
    public Heatmap {
        if (values.length != width * height) {
            throw new IllegalArgumentException(
                    "heatmap of " + width + "x" + height + " needs " + width * height + " values, got " + values.length);
        }
    }

    /** The position of the largest value as {x, y}. */
    public int[] peak() {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return new int[] {best % width, best / width};
    }
}
