package org.pneumo.data;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** Makes the small synthetic X-ray-like images the tests need (no real image is ever copied into the project). */
public final class SyntheticImages {
    private SyntheticImages() {}

    /** A one-channel 8-bit image filled with {@code value}. */
    public static BufferedImage gray(int width, int height, int value) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = image.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                r.setSample(x, y, 0, value);
            }
        }
        return image;
    }

    /**
     * A noisy dark "chest" image; when {@code blob} is true a bright disc of radius {@code size/6} sits at a random
     * place (the visible difference the learning tests rely on). Returns the blob centre in {@code centre} if given.
     */
    public static BufferedImage noisy(int size, boolean blob, Random random, int[] centre) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = image.getRaster();
        int radius = Math.max(2, size / 6);
        int cx = radius + random.nextInt(size - 2 * radius);
        int cy = radius + random.nextInt(size - 2 * radius);
        if (centre != null) {
            centre[0] = cx;
            centre[1] = cy;
        }
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int v = 60 + random.nextInt(40);
                if (blob && (x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius) {
                    v = 200 + random.nextInt(40);
                }
                r.setSample(x, y, 0, v);
            }
        }
        return image;
    }

    /** Writes an image as {@code format} ("png" or "jpeg") and returns the file. */
    public static Path write(BufferedImage image, Path file, String format) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalStateException("no writer for " + format);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A Kaggle-style split folder with {@code perClass} images per class at {@code size} pixels: PNEUMONIA images have
     * a bright blob, NORMAL ones do not. Every image is its own patient, named like the real files.
     */
    public static Path blobDataset(Path root, int perClass, int size, long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < perClass; i++) {
            write(noisy(size, false, random, null), root.resolve("NORMAL/IM-" + (1000 + i) + "-0001.png"), "png");
            write(noisy(size, true, random, null),
                    root.resolve("PNEUMONIA/person" + (1000 + i) + "_bacteria_" + i + ".png"), "png");
        }
        return root;
    }
}
