package org.pneumo.data;

/**
 * One batch of images as floats in [0, 1] (batch x channels x size x size, row-major) with their integer labels.
 *
 * @param indices positions of the images in their {@link ImageSet}
 */
public record Batch(float[] pixels, int[] labels, int[] indices, InputSpec spec) {

    /** Builds the batch of {@code indices} from {@code set}, augmenting each image when {@code augmentation} is set. */
    public static Batch of(ImageSet set, int[] indices, Augmentation augmentation, java.util.Random random) {
        InputSpec spec = set.spec();
        int per = spec.pixelCount();
        float[] pixels = new float[indices.length * per];
        int[] labels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            byte[] src = set.pixels(indices[i]);
            if (augmentation == null) {
                Pixels.toUnit(src, pixels, i * per);
            } else {
                augmentation.apply(src, spec, pixels, i * per, random);
            }
            labels[i] = set.label(indices[i]);
        }
        return new Batch(pixels, labels, indices.clone(), spec);
    }

    public int size() {
        return labels.length;
    }
}
