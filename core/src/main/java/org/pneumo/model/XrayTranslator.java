package org.pneumo.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import org.pneumo.data.InputSpec;

/**
 * The network's pre- and post-processing, shared by validation during training, evaluation, the command line and
 * the server: a decoded image (uint8, channels x size x size, from {@link org.pneumo.data.ImageDecoder}) becomes a
 * float tensor in [0, 1] ({@link InputTensors}); the two logits become the probability of PNEUMONIA (softmax). Batches are stacked by DJL's
 * default batchifier, so {@code batchPredict} runs real batches.
 */
public final class XrayTranslator implements Translator<byte[], Double> {
    private final InputSpec spec;

    public XrayTranslator(InputSpec spec) {
        this.spec = spec;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, byte[] pixels) {
        return new NDList(InputTensors.image(ctx.getNDManager(), pixels, spec));
    }

    @Override
    public Double processOutput(TranslatorContext ctx, NDList list) {
        return probabilityOfPneumonia(list.singletonOrThrow());
    }

    /** Softmax of one image's two logits, the PNEUMONIA component. */
    public static double probabilityOfPneumonia(NDArray logits) {
        float[] z = logits.toFloatArray();
        if (z.length != 2) {
            throw new IllegalStateException("expected 2 logits, got " + z.length);
        }
        return probabilityOfPneumonia(z[0], z[1]);
    }

    /** Softmax of the two logits (NORMAL, PNEUMONIA), the PNEUMONIA component. */
    public static double probabilityOfPneumonia(float normal, float pneumonia) {
        return probabilityOfPneumonia(normal, pneumonia, 1.0);
    }

    /**
     * Softmax of the two logits divided by {@code temperature} (temperature scaling, {@link ModelInfo#calibration()}),
     * the PNEUMONIA component: {@code 1 / (1 + exp((z0 - z1) / T))}.
     */
    public static double probabilityOfPneumonia(float normal, float pneumonia, double temperature) {
        return 1.0 / (1.0 + Math.exp(((double) normal - pneumonia) / temperature));
    }
}
