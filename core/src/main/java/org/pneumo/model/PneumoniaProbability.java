package org.pneumo.model;

/**
 * The network's post-processing: two logits (NORMAL, PNEUMONIA) become the probability of PNEUMONIA, for training-time
 * validation, evaluation, the command line and the server alike (the inputs come from {@link InputTensors}). Its
 * callers run the network in a per-batch sub-manager, not through DJL's {@code Predictor} with a translator, which
 * kept the native memory of every input alive after the predictor was closed.
 */
public final class PneumoniaProbability {
    private PneumoniaProbability() {}

    /** Softmax of the two logits (NORMAL, PNEUMONIA), the PNEUMONIA component. */
    public static double of(float normal, float pneumonia) {
        return of(normal, pneumonia, 1.0);
    }

    /**
     * Softmax of the two logits divided by {@code temperature} (temperature scaling, {@link ModelInfo#calibration()}),
     * the PNEUMONIA component: {@code 1 / (1 + exp((z0 - z1) / T))}.
     */
    public static double of(float normal, float pneumonia, double temperature) {
        return 1.0 / (1.0 + Math.exp(((double) normal - pneumonia) / temperature));
    }
}
