package org.pneumo.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.initializer.XavierInitializer.FactorType;
import ai.djl.training.initializer.XavierInitializer.RandomType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The CNN+LSTM networks this project trains, by the name used on the command line and in {@code model.json}. */
public enum Architecture {
    /**
     * The original Keras network, layer for layer: Conv2D(32, 3x3, valid, relu, he_normal) - MaxPool 2 - Conv2D(32,
     * 3x3, valid, relu, he_normal) - MaxPool 2 - Reshape(-1, 32) - LSTM(64) (last output) - Dense(32, elu,
     * he_uniform) - Dense(2) (softmax in the loss and the predictor).
     */
    SEED("seed") {
        @Override
        void addFeatures(SequentialBlock net) {
            net.add(heNormal(Conv2d.builder().setFilters(32).setKernelShape(new Shape(3, 3)).build()))
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                    .add(heNormal(Conv2d.builder().setFilters(32).setKernelShape(new Shape(3, 3)).build()))
                    .add(Activation.reluBlock());
        }

        @Override
        void addHead(SequentialBlock net) {
            net.add(Pool.maxPool2dBlock(new Shape(2, 2)))
                    .add(SequenceReshape.block())
                    .add(LSTM.builder().setStateSize(64).setNumLayers(1).optBatchFirst(true).build())
                    .add(new LambdaBlock(l -> new NDList(l.head().get(":, -1, :")), "lastTimestep"));
            Block dense = Linear.builder().setUnits(32).build();
            dense.setInitializer(HE_UNIFORM, Parameter.Type.WEIGHT);
            net.add(dense)
                    .add(new LambdaBlock(l -> new NDList(Activation.elu(l.head(), 1f)), "elu"))
                    .add(Linear.builder().setUnits(2).build());
        }
    },
    /**
     * The default, stronger hybrid. Each image is first standardised to zero mean and unit variance (inside the
     * network, so every caller gets it): on the training split pneumonia images are brighter and flatter overall than
     * normal ones, and a network that can see that global cue calls over-exposed normal chests pneumonia. Then five 3x3
     * convolution blocks (16, 32, 64, 128, 128 filters, each with batch
     * normalisation, ReLU and 2x2 max pooling) turn a 224x224 image into a 7x7x128 map; its 49 cells are the sequence
     * (same reshape as the seed) for a bidirectional LSTM(64); the 128 outputs are averaged over time, then dropout
     * 0.3, Dense(64, relu), dropout 0.3, Dense(2).
     */
    CNN_LSTM("cnn-lstm") {
        private static final int[] FILTERS = {16, 32, 64, 128, 128};

        @Override
        void addFeatures(SequentialBlock net) {
            net.add(new LambdaBlock(l -> new NDList(standardise(l.head())), "standardise"));
            for (int i = 0; i < FILTERS.length; i++) {
                if (i > 0) {
                    net.add(Pool.maxPool2dBlock(new Shape(2, 2)));
                }
                net.add(heNormal(Conv2d.builder()
                                .setFilters(FILTERS[i])
                                .setKernelShape(new Shape(3, 3))
                                .optPadding(new Shape(1, 1))
                                .optBias(false)
                                .build()))
                        .add(BatchNorm.builder().build())
                        .add(Activation.reluBlock());
            }
        }

        @Override
        void addHead(SequentialBlock net) {
            net.add(Pool.maxPool2dBlock(new Shape(2, 2)));
            addLstmHead(net);
        }
    },
    /**
     * An ImageNet-pretrained CNN + LSTM: pixels in [0, 1] are mapped to MobileNetV2's [-1, 1]; MobileNetV2 1.0
     * ({@link MobileNetV2#features}, without its pooling and classifier) turns a 224x224 image into a 7x7x1280 map; a
     * 1x1 convolution with ReLU projects it to 256 channels, dropout 0.2; its 49 cells are the sequence for the same
     * head as cnn-lstm: bidirectional LSTM(64), mean over time, dropout 0.3, Dense(64, relu), dropout 0.3, Dense(2). A
     * one-channel network's first convolution is the sum of the RGB kernels (exact for gray repeated as RGB). A fresh
     * network gets the ImageNet weights from {@link #loadPretrained}.
     */
    MOBILENET_LSTM("mobilenet-lstm") {
        @Override
        void addFeatures(SequentialBlock net) {
            net.add(new LambdaBlock(l -> new NDList(l.head().mul(2f).sub(1f)), "toSignedUnit"))
                    .add(MobileNetV2.features());
            SequentialBlock projection = new SequentialBlock();
            projection.add(heNormal(Conv2d.builder().setFilters(256).setKernelShape(new Shape(1, 1)).build()))
                    .add(Activation.reluBlock());
            // The feature extractor ends with the projection: Grad-CAM reads its 7x7 map.
            net.add(projection);
        }

        @Override
        void addHead(SequentialBlock net) {
            net.add(Dropout.builder().optRate(0.2f).build());
            addLstmHead(net);
        }

        @Override
        public List<Block> backboneStages(Block network) {
            SequentialBlock features = (SequentialBlock) network.getChildren().get(BACKBONE_INDEX).getValue();
            List<Block> stages = new ArrayList<>();
            features.getChildren().forEach(p -> stages.add(p.getValue()));
            return stages;
        }

        @Override
        public void loadPretrained(Block network) {
            MobileNetV2.load(network.getChildren().get(BACKBONE_INDEX).getValue(), MobileNetWeights.bundled());
        }
    };

    /** Position of the MobileNetV2 features in mobilenet-lstm. */
    private static final int BACKBONE_INDEX = 1;

    /** Keras he_normal: Gaussian with standard deviation sqrt(2 / fan_in). */
    static final Initializer HE_NORMAL = new XavierInitializer(RandomType.GAUSSIAN, FactorType.IN, 2);
    /** Keras he_uniform: uniform in +-sqrt(6 / fan_in). */
    static final Initializer HE_UNIFORM = new XavierInitializer(RandomType.UNIFORM, FactorType.IN, 6);

    private final String id;

    Architecture(String id) {
        this.id = id;
    }

    /**
     * The feature extractor: every layer up to the activated maps of the last convolution (what Grad-CAM explains).
     */
    abstract void addFeatures(SequentialBlock net);

    /** The rest of the network, from the last pooling to the two logits. */
    abstract void addHead(SequentialBlock net);

    /**
     * The network, untrained, for images with {@code channels} channels (the input shape is set at initialisation):
     * the feature extractor followed by the head, as one flat sequence (the weight files' layout).
     */
    public Block build(int channels) {
        SequentialBlock net = new SequentialBlock();
        addFeatures(net);
        addHead(net);
        return net;
    }

    /**
     * A network built by {@link #build} cut into its feature extractor and its head. A pretrained backbone's stages
     * are listed one by one among the features, from {@code firstStage} on (-1: no backbone), so that a pass can keep
     * what a stage gives.
     */
    public record Split(List<Block> features, List<Block> head, int firstStage) {
        /** The position in {@link #features} of the backbone's stage {@code stage}. */
        public int featureIndex(int stage) {
            if (firstStage < 0) {
                throw new IllegalArgumentException("this network has no backbone stages; stage " + stage
                        + " was asked for");
            }
            int i = firstStage + stage;
            if (stage < 0 || i >= features.size() - 1) {
                throw new IllegalArgumentException("backbone stage " + stage + " is outside 0.."
                        + (features.size() - 2 - firstStage));
            }
            return i;
        }
    }

    /** Cuts {@code network}, built by this architecture's {@link #build}, after its feature extractor. */
    public Split split(Block network) {
        if (!(network instanceof SequentialBlock seq)) {
            throw new IllegalArgumentException("a " + id + " network is sequential, got " + network.getClass());
        }
        List<Block> layers = new ArrayList<>();
        seq.getChildren().forEach(p -> layers.add(p.getValue()));
        SequentialBlock features = new SequentialBlock();
        addFeatures(features);
        int cut = features.getChildren().size();
        SequentialBlock head = new SequentialBlock();
        addHead(head);
        if (layers.size() != cut + head.getChildren().size()) {
            throw new IllegalArgumentException("network has " + layers.size() + " layers; a " + id + " network has "
                    + (cut + head.getChildren().size()));
        }
        List<Block> featureLayers = new ArrayList<>(layers.subList(0, cut));
        int firstStage = -1;
        if (hasPretrainedBackbone()) {
            List<Block> stages = backboneStages(network);
            featureLayers.remove(BACKBONE_INDEX);
            featureLayers.addAll(BACKBONE_INDEX, stages);
            firstStage = BACKBONE_INDEX;
        }
        return new Split(List.copyOf(featureLayers), List.copyOf(layers.subList(cut, layers.size())), firstStage);
    }

    /**
     * The smallest input side the network takes: the seed's two valid 3x3 convolutions and two poolings need 16
     * pixels, the default's five 2x2 poolings and MobileNetV2's five stride-2 convolutions 32.
     */
    public int minImageSize() {
        return this == SEED ? 16 : 32;
    }

    /**
     * The pretrained backbone's stages, lowest first, of a network this architecture built (empty when it has none).
     * Fine-tuning freezes them by stage.
     */
    public List<Block> backboneStages(Block network) {
        return List.of();
    }

    /**
     * The backbone stages whose spatial means the out-of-scope guard of a newly fitted model reads instead of the
     * maps at the end of the feature extractor and the LSTM summary (empty without a backbone). For mobilenet-lstm,
     * MobileNetV2's blocks 13 to 16: the last one at 1/16 of the input (96 channels) and the three at 1/32 (160
     * channels). Measured with bench/BackboneTypicality.java on the model trained with --image-size 192 (pediatric
     * validation 1% flagged by construction): the projection and the LSTM summary flagged 60% of the adult NIH films,
     * single stages 73-97%, these four 98%, adding the projection and summary to a stage lowered it.
     */
    public List<Integer> scopeStages() {
        return this == MOBILENET_LSTM ? List.of(13, 14, 15, 16) : List.of();
    }

    /** Whether the network starts from pretrained weights ({@link #loadPretrained}). */
    public boolean hasPretrainedBackbone() {
        return this == MOBILENET_LSTM;
    }

    /**
     * Puts the pretrained weights into a freshly initialised network of this architecture, over what the initializer
     * drew; a no-op for architectures trained from scratch. A saved model's own weights are read instead.
     */
    public void loadPretrained(Block network) {}

    /** The name used on the command line and in {@code model.json}. */
    public String id() {
        return id;
    }

    /** The architecture with this command-line name. */
    public static Architecture of(String id) {
        for (Architecture a : values()) {
            if (a.id.equals(id.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + id + "'; expected one of "
                + Arrays.stream(values()).map(Architecture::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }

    /** Each image of the batch minus its mean, over its standard deviation (all channels and pixels together). */
    static NDArray standardise(NDArray x) {
        Shape shape = x.getShape();
        NDArray flat = x.reshape(shape.get(0), -1); // PyTorch's mean takes one axis at a time
        NDArray centred = flat.sub(flat.mean(new int[] {1}, true));
        NDArray std = centred.square().mean(new int[] {1}, true).sqrt();
        return centred.div(std.add(1e-4f)).reshape(shape);
    }

    /**
     * The head cnn-lstm and mobilenet-lstm share, from a (N, C, 7, 7) map: its 49 cells as a sequence, bidirectional
     * LSTM(64), mean over time, dropout 0.3, Dense(64, relu), dropout 0.3, Dense(2).
     */
    private static void addLstmHead(SequentialBlock net) {
        net.add(SequenceReshape.block())
                .add(new BidirectionalLstm(64))
                .add(new LambdaBlock(l -> new NDList(l.head().mean(new int[] {1})), "meanOverTime"))
                .add(Dropout.builder().optRate(0.3f).build());
        Block dense = Linear.builder().setUnits(64).build();
        dense.setInitializer(HE_UNIFORM, Parameter.Type.WEIGHT);
        net.add(dense)
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(0.3f).build())
                .add(Linear.builder().setUnits(2).build());
    }

    private static Block heNormal(Block conv) {
        conv.setInitializer(HE_NORMAL, Parameter.Type.WEIGHT);
        return conv;
    }

}
