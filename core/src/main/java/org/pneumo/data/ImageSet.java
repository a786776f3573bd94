package org.pneumo.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Decoded images held in memory as compact uint8 tensors (channels x size x size each), with their labels and files.
 * Images that could not be decoded are not in it; {@link #skipped()} names them.
 */
public final class ImageSet {
    private final InputSpec spec;
    private final List<LabeledImage> images;
    private final List<byte[]> pixels;
    private final List<SkippedFile> skipped;

    public ImageSet(InputSpec spec, List<LabeledImage> images, List<byte[]> pixels, List<SkippedFile> skipped) {
        if (images.size() != pixels.size()) {
            throw new IllegalArgumentException(
                    "images (" + images.size() + ") and pixel arrays (" + pixels.size() + ") differ in count");
        }
        for (byte[] p : pixels) {
            if (p.length != spec.pixelCount()) {
                throw new IllegalArgumentException(
                        "pixel array of " + p.length + " bytes, expected " + spec.pixelCount() + " for " + spec);
            }
        }
        this.spec = spec;
        this.images = List.copyOf(images);
        this.pixels = List.copyOf(pixels);
        this.skipped = List.copyOf(skipped);
    }

    public InputSpec spec() {
        return spec;
    }

    public int size() {
        return images.size();
    }

    public LabeledImage image(int i) {
        return images.get(i);
    }

    public List<LabeledImage> images() {
        return images;
    }

    public byte[] pixels(int i) {
        return pixels.get(i);
    }

    /** The pixels of images {@code from} (inclusive) to {@code to} (exclusive), in set order: one batch's input. */
    public List<byte[]> pixels(int from, int to) {
        return pixels.subList(from, to);
    }

    public int label(int i) {
        return images.get(i).label().index();
    }

    public List<SkippedFile> skipped() {
        return skipped;
    }

    /** Number of images of each class, indexed by {@link Diagnosis#index()}. */
    public int[] classCounts() {
        int[] counts = new int[Diagnosis.values().length];
        for (LabeledImage image : images) {
            counts[image.label().index()]++;
        }
        return counts;
    }

    /** The images of this set that are in {@code subset} (matched by file), in this set's order. */
    public ImageSet select(List<LabeledImage> subset) {
        java.util.Set<LabeledImage> wanted = new java.util.HashSet<>(subset);
        List<LabeledImage> keptImages = new ArrayList<>();
        List<byte[]> keptPixels = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            if (wanted.contains(images.get(i))) {
                keptImages.add(images.get(i));
                keptPixels.add(pixels.get(i));
            }
        }
        return new ImageSet(spec, keptImages, keptPixels, List.of());
    }
}
