package org.pneumo.train;

/**
 * How a pretrained backbone is fine-tuned: the whole backbone frozen for the first epochs (the new head learns first),
 * its stages below one index frozen throughout (which also saves their backward pass), and its learning rate scaled
 * against the head's.
 *
 * @param freezeBackboneEpochs the first this many epochs train the head only
 * @param backboneLearningRateScale the backbone's learning rate is the schedule's times this
 * @param trainFromBlock backbone stages below this index stay frozen (MobileNetV2: 0 = the stem convolution, 1-17 =
 *     the inverted residual blocks, 18 = the last 1x1 convolution; 19 = all frozen)
 */
public record FineTuning(int freezeBackboneEpochs, float backboneLearningRateScale, int trainFromBlock) {
    /** Everything trains at the same rate from the first epoch. */
    public static final FineTuning NONE = new FineTuning(0, 1f, 0);

    public FineTuning {
        if (freezeBackboneEpochs < 0 || freezeBackboneEpochs > 10_000) {
            throw new IllegalArgumentException(
                    "freezeBackboneEpochs " + freezeBackboneEpochs + " is outside [0, 10000]");
        }
        if (!(backboneLearningRateScale > 0 && backboneLearningRateScale <= 10)) {
            throw new IllegalArgumentException(
                    "backboneLearningRateScale " + backboneLearningRateScale + " is outside (0, 10]");
        }
        if (trainFromBlock < 0 || trainFromBlock > 1_000) {
            throw new IllegalArgumentException("trainFromBlock " + trainFromBlock + " is outside [0, 1000]");
        }
    }

    /** Whether backbone stage {@code stage} (0-based) is frozen during epoch {@code epoch} (1-based). */
    public boolean frozen(int stage, int epoch) {
        return stage < trainFromBlock || epoch <= freezeBackboneEpochs;
    }
}
