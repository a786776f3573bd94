package org.pneumo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Softmax cross-entropy over integer class labels (Keras' sparse categorical cross-entropy), each example weighted
 * by its class's weight: the mean over the batch of {@code weight[label] * -log softmax(logits)[label]}.
 */
final class WeightedSoftmaxCrossEntropy extends Loss {
    private final float[] classWeights;

    WeightedSoftmaxCrossEntropy(float[] classWeights) {
        super("WeightedSoftmaxCrossEntropy");
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
        NDArray label = labels.singletonOrThrow();
        NDArray logProbabilities = logits.logSoftmax(-1);
        NDArray oneHot = label.toType(ai.djl.ndarray.types.DataType.INT64, false).oneHot(classWeights.length);
        NDArray perExample = logProbabilities.mul(oneHot).sum(new int[] {-1}).neg();
        NDArray weights = oneHot.matMul(logits.getManager().create(classWeights).reshape(classWeights.length, 1))
                .reshape(-1);
        return perExample.mul(weights).mean();
    }

    /** Balanced weights: {@code total / (classes * count[c])}, 1 for an absent class. */
    static float[] balanced(int[] counts) {
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        float[] w = new float[counts.length];
        for (int i = 0; i < counts.length; i++) {
            w[i] = counts[i] == 0 ? 1f : (float) total / (counts.length * counts[i]);
        }
        return w;
    }
}
