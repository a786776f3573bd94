package org.pneumo.cli;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The training speed a machine should reach, scaled from the project's own measurement, and the one line that
 * compares a run's first steps with it (a slow run is nearly always a missing allocator or a busy machine).
 */
record TrainingSpeed(String arch, int imageSize, int batchSize, int cores) {
    /**
     * Images per second per core at 224x224, from {@code bench/train-throughput.sh 12} on the project machine (2 AMD
     * EPYC cores, jemalloc, 2026-11-25): cnn-lstm 57.4 and seed 50.8 images/s on 2 cores.
     */
    static final double CNN_LSTM_PER_CORE = 57.4 / 2;
    static final double SEED_PER_CORE = 50.8 / 2;
    /** Below this share of the expected speed the run warns. */
    static final double WARN_BELOW = 0.4;

    static TrainingSpeed ofThisMachine(String arch, int imageSize, int batchSize) {
        return new TrainingSpeed(arch, imageSize, batchSize, Runtime.getRuntime().availableProcessors());
    }

    /** Expected images per second: the reference per core, times the cores, scaled by the pixels per image. */
    double expected() {
        double perCore = arch.equals("seed") ? SEED_PER_CORE : CNN_LSTM_PER_CORE;
        return perCore * cores * (224.0 * 224.0) / ((double) imageSize * imageSize);
    }

    /** The line to print for a measured speed; a warning naming the likely causes when it is far too slow. */
    String verdict(double measured, boolean jemalloc, double loadAverage) {
        double expected = expected();
        String base = String.format(Locale.ROOT, "speed after the first steps: %.1f images/s (a machine with %d cores"
                + " should reach about %.0f: the project measured %.1f per core for %s at 224 px)", measured, cores,
                expected, arch.equals("seed") ? SEED_PER_CORE : CNN_LSTM_PER_CORE, arch);
        if (measured >= WARN_BELOW * expected) {
            return base;
        }
        StringBuilder causes = new StringBuilder();
        if (!jemalloc) {
            causes.append("; jemalloc is not preloaded (run through bin/pneumo with libjemalloc2 installed)");
        }
        if (loadAverage >= cores) {
            causes.append(String.format(Locale.ROOT, "; the load average is %.1f on %d cores: other processes share"
                    + " the CPU", loadAverage, cores));
        }
        if (causes.isEmpty()) {
            causes.append("; the CPU may be slower than the reference or throttled");
        }
        return "warning: training is far slower than expected. " + base + causes;
    }

    static boolean jemallocPreloaded() {
        String preload = System.getenv("LD_PRELOAD");
        return preload != null && preload.contains("jemalloc");
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
