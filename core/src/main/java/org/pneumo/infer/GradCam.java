package org.pneumo.infer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.pneumo.data.Resampler;
import org.pneumo.model.Architecture;
import org.pneumo.model.NetworkPass;

/**
 * Grad-CAM at the end of the network's feature extractor (the activated maps of its last convolution, as the
 * {@link Architecture} splits it): the gradient of the PNEUMONIA log-odds (logit 1 - logit 0) with respect
 * to those maps, averaged over each map to weight its channel; the weighted sum of the maps,
 * through a ReLU, normalised to [0, 1] and upsampled to the input size. Runs one image or a batch at a time
 * (PyTorch collects gradients globally, so calls are serialised).
 */
final class GradCam {
    private static final Object LOCK = new Object();

    private final Architecture.Split split;
    private final List<Integer> scopeStages;

    /**
     * Explains a network, cut by its architecture into {@code split}, at the end of its feature extractor; the guard's
     * features of the same pass read the backbone stages {@code scopeStages}.
     */
    GradCam(Architecture.Split split, List<Integer> scopeStages) {
        this.split = split;
        this.scopeStages = List.copyOf(scopeStages);
    }

    /**
     * What one pass gives: the heatmaps, and the logits and guard features of the same forward pass (so a prediction
     * with a heatmap does not run the network twice).
     */
    record Output(List<Heatmap> heatmaps, NDArray logits, NDArray scopeFeatures) {}

    /** Heatmaps for a batch (N, C, S, S) of inputs, each S x S, with the pass's logits and guard features. */
    Output compute(NDManager manager, NDArray input) {
        int size = (int) input.getShape().get(2);
        synchronized (LOCK) {
            try (NDManager scope = manager.newSubManager()) {
                ParameterStore store = new ParameterStore(scope, false);
                NetworkPass.FeatureOutput features = NetworkPass.features(split, store, input, scopeStages);
                NDArray maps = features.maps();
                maps.setRequiresGradient(true);
                NDArray gradient;
                NDArray logits;
                NDArray scopeFeatures;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NetworkPass.HeadOutput y = NetworkPass.head(split.head(), store, features);
                    logits = y.logits();
                    scopeFeatures = y.scopeFeatures();
                    NDArray logOdds = logits.get(":, 1").sub(logits.get(":, 0"));
                    collector.backward(logOdds.sum());
                    gradient = maps.getGradient();
                }
                NDArray weights = gradient.mean(new int[] {3}, true).mean(new int[] {2}, true);
                NDArray cam = maps.mul(weights).sum(new int[] {1}).maximum(0f);
                Shape s = cam.getShape();
                int n = (int) s.get(0);
                int h = (int) s.get(1);
                int w = (int) s.get(2);
                float[] all = cam.toFloatArray();
                List<Heatmap> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    float[] one = new float[h * w];
                    System.arraycopy(all, i * h * w, one, 0, h * w);
                    float max = 0;
                    for (float v : one) {
                        max = Math.max(max, v);
                    }
                    if (max > 0) {
                        for (int k = 0; k < one.length; k++) {
                            one[k] /= max;
                        }
                    }
                    float[] up = Resampler.resize(one, w, h, size, size);
                    for (int k = 0; k < up.length; k++) {
                        up[k] = Math.max(0f, Math.min(1f, up[k]));
                    }
                    out.add(new Heatmap(size, size, up));
                }
                // Detached copies owned by the caller's manager: the pass's own arrays are closed with its scope.
                NDArray keptLogits = manager.create(logits.toFloatArray(), logits.getShape());
                NDArray keptScope = manager.create(scopeFeatures.toFloatArray(), scopeFeatures.getShape());
                return new Output(out, keptLogits, keptScope);
            }
        }
    }
}
