package org.pneumo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay whose moments can be saved and restored, so that a resumed run continues exactly
 * where the killed one stopped (DJL's own Adam keeps its state private). The learning rate is set before each step
 * by the training loop's schedule. Not thread-safe.
 */
final class StatefulAdam extends Optimizer {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-7f; // Keras' default

    private final NDManager manager;
    private final float weightDecay;
    private final Map<String, NDArray> mean = new HashMap<>();
    private final Map<String, NDArray> variance = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();
    private float learningRate;
    private final Map<String, Float> learningRateScales = new HashMap<>();

    StatefulAdam(NDManager manager, float learningRate, float weightDecay) {
        super(new Builder());
        this.manager = manager;
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
    }

    void setLearningRate(float learningRate) {
        this.learningRate = learningRate;
    }

    /** Scales the learning rate of the parameter with this id (1 unless set). */
    void setLearningRateScale(String parameterId, float scale) {
        learningRateScales.put(parameterId, scale);
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = steps.merge(parameterId, 1, Integer::sum);
        NDArray m = mean.computeIfAbsent(parameterId, k -> detached(weight.zerosLike()));
        NDArray v = variance.computeIfAbsent(parameterId, k -> detached(weight.zerosLike()));
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            m.muli(BETA1).addi(grad.mul(1 - BETA1));
            v.muli(BETA2).addi(grad.square().muli(1 - BETA2));
            double correction1 = 1 - Math.pow(BETA1, t);
            double correction2 = 1 - Math.pow(BETA2, t);
            float rate = learningRate * learningRateScales.getOrDefault(parameterId, 1f);
            float stepSize = (float) (rate * Math.sqrt(correction2) / correction1);
            NDArray denom = v.sqrt().addi(EPSILON * (float) Math.sqrt(correction2));
            NDArray update = m.div(denom).muli(stepSize);
            if (weightDecay > 0 && weight.getShape().dimension() > 1) {
                update.addi(weight.mul(rate * weightDecay));
            }
            weight.subi(update);
        }
    }

    private NDArray detached(NDArray array) {
        array.attach(manager);
        return array;
    }

    /** Saves the moments and step counts, keyed by the parameters' names in {@code block}. */
    void save(Block block, DataOutputStream out) throws IOException {
        NDList list = new NDList();
        int count = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            String id = p.getValue().getId();
            if (mean.containsKey(id)) {
                count++;
            }
        }
        out.writeInt(count);
        for (Pair<String, Parameter> p : block.getParameters()) {
            String id = p.getValue().getId();
            if (!mean.containsKey(id)) {
                continue;
            }
            out.writeUTF(p.getKey());
            out.writeInt(steps.get(id));
            NDArray m = mean.get(id);
            NDArray v = variance.get(id);
            m.setName("m");
            v.setName("v");
            list.add(m);
            list.add(v);
        }
        byte[] encoded = list.encode();
        out.writeInt(encoded.length);
        out.write(encoded);
    }

    /** Restores what {@link #save} wrote, for a block with the same parameter names. */
    void load(Block block, DataInputStream in) throws IOException {
        Map<String, String> idsByName = new HashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            idsByName.put(p.getKey(), p.getValue().getId());
        }
        int count = in.readInt();
        String[] names = new String[count];
        int[] stepCounts = new int[count];
        for (int i = 0; i < count; i++) {
            names[i] = in.readUTF();
            stepCounts[i] = in.readInt();
        }
        byte[] encoded = new byte[in.readInt()];
        in.readFully(encoded);
        NDList list = NDList.decode(manager, encoded);
        for (int i = 0; i < count; i++) {
            String id = idsByName.get(names[i]);
            if (id == null) {
                throw new IOException("optimizer state names parameter " + names[i] + " that the network lacks");
            }
            steps.put(id, stepCounts[i]);
            mean.put(id, list.get(2 * i));
            variance.put(id, list.get(2 * i + 1));
        }
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
