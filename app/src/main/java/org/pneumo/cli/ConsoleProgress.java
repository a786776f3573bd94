package org.pneumo.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.pneumo.train.EpochRecord;
import org.pneumo.train.TrainingProgress;

/**
 * Training progress on the console: one bar per epoch redrawn in place on a terminal (a line every 10% otherwise,
 * so logs stay short), then one summary line per epoch.
 */
final class ConsoleProgress implements TrainingProgress {
    private static final int WIDTH = 24;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private int epoch;
    private int epochs;
    private long epochStart;
    private int lastDecile = -1;
    private int lastDecodeDecile = -1;
    private final TrainingSpeed speed;
    private final LongSupplier clock;
    private long speedStart = -1;
    private boolean speedChecked;

    ConsoleProgress(PrintStream out, PrintStream err, TrainingSpeed speed) {
        this(out, err, System.console() != null, speed, System::nanoTime);
    }

    /**
     * @param speed what this machine should reach: the first epoch of the run prints its speed after the first
     *     steps, and warns when it is far below (null: no check)
     */
    ConsoleProgress(PrintStream out, PrintStream err, boolean terminal, TrainingSpeed speed, LongSupplier clock) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.speed = speed;
        this.clock = clock;
    }

    @Override
    public void message(String text) {
        endLine();
        out.println(text);
    }

    @Override
    public void warning(String text) {
        endLine();
        out.flush();
        err.println(text);
    }

    @Override
    public void decoding(int done, int total) {
        if (total < 200) {
            return;
        }
        int decile = total == 0 ? 10 : done * 10 / total;
        synchronized (this) {
            if (terminal) {
                out.printf("\rdecoding images %d/%d (first run only; cached after)", done, total);
                if (done == total) {
                    out.println();
                }
            } else if (decile != lastDecodeDecile) {
                lastDecodeDecile = decile;
                out.printf("decoding images %d/%d%n", done, total);
            }
        }
    }

    @Override
    public void epochStarted(int epoch, int epochs, int batches) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.epochStart = clock.getAsLong();
        this.lastDecile = -1;
    }

    /** Steps before the speed is measured (the first ones include PyTorch's warm-up) and steps measured. */
    static final int SPEED_SKIP = 3;
    static final int SPEED_STEPS = 10;

    private void checkSpeed(int batch) {
        if (speed == null || speedChecked) {
            return;
        }
        if (batch == SPEED_SKIP) {
            speedStart = clock.getAsLong();
        } else if (batch == SPEED_SKIP + SPEED_STEPS && speedStart >= 0) {
            speedChecked = true;
            double seconds = (clock.getAsLong() - speedStart) / 1e9;
            double measured = (double) SPEED_STEPS * speed.batchSize() / seconds;
            String line = speed.verdict(measured, TrainingSpeed.jemallocPreloaded(), TrainingSpeed.loadAverage());
            endLine();
            if (line.startsWith("warning")) {
                out.flush();
                err.println(line);
            } else {
                out.println(line);
            }
        }
    }

    @Override
    public void batchFinished(int batch, int batches, double loss, double accuracy, double imagesPerSecond) {
        double elapsed = (clock.getAsLong() - epochStart) / 1e9;
        checkSpeed(batch);
        double left = batch == 0 ? 0 : elapsed / batch * (batches - batch);
        int filled = batches == 0 ? WIDTH : batch * WIDTH / batches;
        String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
        String line = String.format(Locale.ROOT, "epoch %d/%d [%s] %d/%d loss %.4f acc %.4f %.1f img/s left %s",
                epoch, epochs, bar, batch, batches, loss, accuracy, imagesPerSecond, duration(left));
        if (terminal) {
            out.print("\r" + line);
        } else {
            int decile = batch * 10 / batches;
            if (decile != lastDecile) {
                lastDecile = decile;
                out.println(line);
            }
        }
    }

    @Override
    public void epochFinished(EpochRecord r, boolean best) {
        endLine();
        out.printf(Locale.ROOT,
                "epoch %d/%d done in %s: train loss %.4f acc %.4f | val loss %.4f acc %.4f auc %.4f | %.1f img/s%s%n",
                r.epoch(), epochs, duration(r.seconds()), r.trainLoss(), r.trainAccuracy(), r.valLoss(),
                r.valAccuracy(), r.valAuc(), r.imagesPerSecond(), best ? " | best so far, kept" : "");
    }

    private void endLine() {
        if (terminal) {
            out.print("\r\033[K");
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
