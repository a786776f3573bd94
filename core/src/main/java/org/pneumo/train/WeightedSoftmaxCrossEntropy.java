package org.pneumo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Softmax cross-entropy over integer class labels (Keras' sparse categorical cross-entropy), each example weighted
 * by its class's weight: the mean over the batch of {@code weight[label] * -log softmax(logits)[label]}. Optionally
 * with label smoothing (the target puts {@code 1 - e + e/K} on the label and {@code e/K} on each other class) and a
 * weight per example (a second label array: the label audit's down-weighted suspects).
 */
final class WeightedSoftmaxCrossEntropy extends Loss {
    private final float[] classWeights;
    private final float smoothing;

    WeightedSoftmaxCrossEntropy(float[] classWeights) {
        this(classWeights, 0f);
    }

    WeightedSoftmaxCrossEntropy(float[] classWeights, float smoothing) {
        super("WeightedSoftmaxCrossEntropy");
        if (!(smoothing >= 0 && smoothing < 0.5f)) {
            throw new IllegalArgumentException("label smoothing " + smoothing + " is outside [0, 0.5)");
        }
        this.smoothing = smoothing;
        for (float w : classWeights) {
            if (!(w > 0)) {
                throw new IllegalArgumentException("class weight " + w + " must be positive");
            }
        }
        this.classWeights = classWeights.clone();
    }

    /** The class weights, indexed by class. */
    float[] weights() {
        return classWeights.clone();
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.singletonOrThrow();
        NDArray label = labels.get(0);
        NDArray logProbabilities = logits.logSoftmax(-1);
        int k = classWeights.length;
        NDArray oneHot = label.toType(ai.djl.ndarray.types.DataType.INT64, false).oneHot(k);
        NDArray target = smoothing > 0 ? oneHot.mul(1 - smoothing).add(smoothing / k) : oneHot;
        NDArray perExample = logProbabilities.mul(target).sum(new int[] {-1}).neg();
        NDArray weights = oneHot.matMul(logits.getManager().create(classWeights).reshape(k, 1)).reshape(-1);
        if (labels.size() > 1) {
            weights = weights.mul(labels.get(1));
        }
        return perExample.mul(weights).mean();
    }

    /** Balanced weights: {@code total / (classes * count[c])}, 1 for an absent class. */
    static float[] balanced(int[] counts) {
        return balanced(java.util.Arrays.stream(counts).asDoubleStream().toArray());
    }

    /** Balanced weights from (possibly fractional, per-example weighted) class counts. */
    static float[] balanced(double[] counts) {
        double total = 0;
        for (double c : counts) {
            total += c;
        }
        float[] w = new float[counts.length];
        for (int i = 0; i < counts.length; i++) {
            w[i] = counts[i] == 0 ? 1f : (float) (total / (counts.length * counts[i]));
        }
        return w;
    }
}
