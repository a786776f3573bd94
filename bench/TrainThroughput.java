import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import java.util.Locale;
import org.pneumo.model.Architecture;

/**
 * Training throughput of both networks (random 224x224 batches of 32: forward, loss, backward, Adam step) and the
 * machine's practical peak FLOP rate (a large matrix product and a large convolution through the same PyTorch
 * library), so the networks' FLOP rate can be given as a share of it. Run by bench/train-throughput.sh.
 *
 * <p>Usage: java -cp app/target/pneumo.jar bench/TrainThroughput.java [steps]
 */
public final class TrainThroughput {
    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        Engine.getInstance().setRandomSeed(1);
        double peak = peak();
        System.out.printf(Locale.ROOT, "peak\t%.1f GFLOP/s (best of a 2048^3 matrix product and a 3x3 256->256"
                + " convolution on 32x28x28)%n", peak / 1e9);
        run("seed", Architecture.SEED, 3, steps, peak, seedFlops(224, 3));
        run("cnn-lstm", Architecture.CNN_LSTM, 1, steps, peak, cnnLstmFlops(224, 1));
    }

    /** Forward FLOPs (2 per multiply-add) of the seed network at size x size x c. */
    static double seedFlops(int size, int c) {
        int h1 = size - 2;
        int p1 = h1 / 2;
        int h2 = p1 - 2;
        int p2 = h2 / 2;
        double conv = 2.0 * 9 * c * 32 * h1 * h1 + 2.0 * 9 * 32 * 32 * h2 * h2;
        double lstm = (double) p2 * p2 * 2 * 4 * 64 * (32 + 64);
        double dense = 2.0 * 64 * 32 + 2.0 * 32 * 2;
        return conv + lstm + dense;
    }

    /** Forward FLOPs of the cnn-lstm network at size x size x c. */
    static double cnnLstmFlops(int size, int c) {
        int[] filters = {16, 32, 64, 128, 128};
        double flops = 0;
        int in = c;
        int s = size;
        for (int f : filters) {
            flops += 2.0 * 9 * in * f * s * s;
            in = f;
            s /= 2;
        }
        flops += 2.0 * (s * s) * 2 * 4 * 64 * (128 + 64); // two directions
        flops += 2.0 * 128 * 64 + 2.0 * 64 * 2;
        return flops;
    }

    static double peak() {
        double matmul = 0;
        double conv = 0;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray a = m.randomUniform(-1, 1, new Shape(2048, 2048));
            NDArray b = m.randomUniform(-1, 1, new Shape(2048, 2048));
            for (int i = 0; i < 6; i++) {
                long t = System.nanoTime();
                try (NDArray c = a.matMul(b)) {
                    c.getFloat(0, 0);
                }
                double s = (System.nanoTime() - t) / 1e9;
                if (i > 0) {
                    matmul = Math.max(matmul, 2.0 * 2048 * 2048 * 2048 / s);
                }
            }
            System.out.printf(Locale.ROOT, "peak-matmul\t%.1f GFLOP/s%n", matmul / 1e9);
            NDArray x = m.randomUniform(-1, 1, new Shape(32, 256, 28, 28));
            NDArray w = m.randomUniform(-1, 1, new Shape(256, 256, 3, 3));
            for (int i = 0; i < 6; i++) {
                long t = System.nanoTime();
                try (NDList y = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1))) {
                    y.head().getFloat(0, 0, 0, 0);
                }
                double s = (System.nanoTime() - t) / 1e9;
                if (i > 0) {
                    conv = Math.max(conv, 2.0 * 9 * 256 * 256 * 28 * 28 * 32 / s);
                }
            }
            System.out.printf(Locale.ROOT, "peak-conv\t%.1f GFLOP/s%n", conv / 1e9);
        }
        return Math.max(conv, matmul);
    }

    static void run(String name, Architecture arch, int channels, int steps, double peak, double forwardFlops) {
        int batch = 32;
        Shape shape = new Shape(batch, channels, 224, 224);
        try (Model model = Model.newInstance(name, Device.cpu())) {
            model.setBlock(arch.build(channels));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().build())
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(shape);
                double seconds = 0;
                int warmup = 3;
                for (int i = 0; i < warmup + steps; i++) {
                    try (NDManager sub = trainer.getManager().newSubManager()) {
                        NDArray x = sub.randomUniform(0, 1, shape);
                        NDArray y = sub.randomInteger(0, 2, new Shape(batch), ai.djl.ndarray.types.DataType.INT32)
                                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
                        long t = System.nanoTime();
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList out = trainer.forward(new NDList(x));
                            NDArray loss = trainer.getLoss().evaluate(new NDList(y), out);
                            gc.backward(loss);
                        }
                        trainer.step();
                        if (i >= warmup) {
                            seconds += (System.nanoTime() - t) / 1e9;
                        }
                    }
                }
                double ips = steps * batch / seconds;
                double flops = 3 * forwardFlops * ips; // backward ~ 2x forward
                System.out.printf(Locale.ROOT, "java\t%s\t224x224x%d\t%.1f images/s\t%.2f GFLOP forward\t%.1f GFLOP/s"
                                + "\t%.0f%% of peak%n", name, channels, ips, forwardFlops / 1e9, flops / 1e9,
                        100 * flops / peak);
            }
        }
    }
}
