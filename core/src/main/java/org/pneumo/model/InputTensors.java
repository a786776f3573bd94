package org.pneumo.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.pneumo.data.Batch;
import org.pneumo.data.InputSpec;
import org.pneumo.data.Pixels;

/**
 * The one place where images become the network's input tensor (channels-first floats in [0, 1]), for the
 * prediction, the training batches, validation and Grad-CAM alike, so an image always becomes the same tensor.
 */
public final class InputTensors {
    private InputTensors() {}

    /** Decoded images as one (N, C, S, S) batch. */
    public static NDArray batch(NDManager manager, List<byte[]> pixels, InputSpec spec) {
        int per = spec.pixelCount();
        float[] values = new float[pixels.size() * per];
        for (int i = 0; i < pixels.size(); i++) {
            check(pixels.get(i), spec);
            Pixels.toUnit(pixels.get(i), values, i * per);
        }
        return manager.create(values, shape(pixels.size(), spec));
    }

    /** A training batch, already in [0, 1] (augmented or not), as one (N, C, S, S) tensor. */
    public static NDArray batch(NDManager manager, Batch batch) {
        return manager.create(batch.pixels(), shape(batch.size(), batch.spec()));
    }

    private static Shape shape(int n, InputSpec spec) {
        return new Shape(n, spec.channels(), spec.imageSize(), spec.imageSize());
    }

    private static void check(byte[] pixels, InputSpec spec) {
        if (pixels.length != spec.pixelCount()) {
            throw new IllegalArgumentException(
                    "image tensor has " + pixels.length + " values, expected " + spec.pixelCount() + " for " + spec);
        }
    }
}
