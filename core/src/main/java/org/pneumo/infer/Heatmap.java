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

    /**
     * The mean of maps of one size, scaled so that its largest value is 1 again (an ensemble's heatmap: where the
     * members agree stays brightest).
     *
     * @throws IllegalArgumentException when there are no maps or their sizes differ
     */
    public static Heatmap mean(java.util.List<Heatmap> maps) {
        if (maps.isEmpty()) {
            throw new IllegalArgumentException("no heatmaps to average");
        }
        Heatmap first = maps.get(0);
        float[] sum = new float[first.values.length];
        for (Heatmap m : maps) {
            if (m.width != first.width || m.height != first.height) {
                throw new IllegalArgumentException("heatmaps of " + first.width + "x" + first.height + " and "
                        + m.width + "x" + m.height + " cannot be averaged");
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] += m.values[i];
            }
        }
        float max = 0;
        for (float v : sum) {
            max = Math.max(max, v);
        }
        if (max > 0) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] /= max;
            }
        }
        return new Heatmap(first.width, first.height, sum);
    }
}
