package org.pneumo.spark;

import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.pneumo.model.ModelLoadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded model per executor JVM, per model id: the first task that needs it loads it, every later task of any job
 * in the same JVM reuses it. Also sets PyTorch's threads before the engine starts: intra-op threads = the task's
 * cores ({@code spark.task.cpus}), inter-op 1, because PyTorch's default gives every concurrent task all the
 * machine's cores and oversubscribes them.
 */
final class ExecutorDetector {
    static final String INTRA_OP = "ai.djl.pytorch.num_threads";
    static final String INTER_OP = "ai.djl.pytorch.num_interop_threads";

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorDetector.class);
    private static final Map<String, CoreAdapter> LOADED = new HashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ExecutorDetector() {}

    /**
     * The scorer for {@code modelId}, loading it from {@code bundle} (fetched only when this JVM has not loaded that
     * model yet).
     */
    static synchronized CoreAdapter get(String modelId, Supplier<ModelBundle> bundle, int taskCpus) {
        CoreAdapter loaded = LOADED.get(modelId);
        if (loaded != null) {
            return loaded;
        }
        long start = System.nanoTime();
        configureEngine(taskCpus);
        try {
            Path dir = bundle.get().unpack();
            try {
                CoreAdapter adapter = CoreAdapter.load(dir);
                LOADS.incrementAndGet();
                LOADED.put(modelId, adapter);
                LOG.info("loaded model {} in {} ms; PyTorch intra-op threads {}, inter-op {}",
                        modelId, (System.nanoTime() - start) / 1_000_000, JniUtils.getNumThreads(),
                        JniUtils.getNumInteropThreads());
                return adapter;
            } finally {
                ModelBundle.deleteFolder(dir);
            }
        } catch (ModelLoadException e) {
            throw new IllegalStateException("cannot load model " + modelId + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Thread settings DJL reads when its PyTorch engine starts, unless the operator set them
     * ({@code spark.executor.extraJavaOptions}); intra-op threads are set again in case the engine already runs in
     * this JVM (local mode, where the driver may have started it).
     */
    private static void configureEngine(int taskCpus) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        String intra = System.getProperty(INTRA_OP);
        if (intra == null) {
            intra = String.valueOf(Math.max(1, taskCpus));
            System.setProperty(INTRA_OP, intra);
        }
        if (System.getProperty(INTER_OP) == null) {
            System.setProperty(INTER_OP, "1");
        }
        ai.djl.engine.Engine.getEngine("PyTorch");
        int wanted = Integer.parseInt(intra);
        if (JniUtils.getNumThreads() != wanted) {
            JniUtils.setNumThreads(wanted);
        }
    }

    /** How many models this JVM has loaded (for tests and logs). */
    static int loads() {
        return LOADS.get();
    }
}
