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
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private int epochs;
    private ProgressBar bar;
    private ProgressBar decodingBar;
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
    public synchronized void decoding(int done, int total) {
        if (total < 200) {
            return;
        }
        if (decodingBar == null) {
            decodingBar = new ProgressBar(out, "decoding images", total, terminal);
        }
        decodingBar.show(done, "(first run only; cached after)");
        if (done == total) {
            decodingBar.finish();
            decodingBar = null;
        }
    }

    @Override
    public void epochStarted(int epoch, int epochs, int batches) {
        this.epochs = epochs;
        this.bar = new ProgressBar(out, String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs), batches, terminal);
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
        checkSpeed(batch);
        double left = batch == 0 || imagesPerSecond <= 0 ? 0 : (double) (batches - batch) / batch
                * bar.elapsedSeconds();
        bar.show(batch, String.format(Locale.ROOT, "loss %.4f acc %.4f %.1f img/s left %s", loss, accuracy,
                imagesPerSecond, ProgressBar.duration(left)));
    }

    @Override
    public void epochFinished(EpochRecord r, boolean best) {
        endLine();
        out.printf(Locale.ROOT,
                "epoch %d/%d done in %s: train loss %.4f acc %.4f | val loss %.4f acc %.4f auc %.4f | %.1f img/s%s%n",
                r.epoch(), epochs, ProgressBar.duration(r.seconds()), r.trainLoss(), r.trainAccuracy(), r.valLoss(),
                r.valAccuracy(), r.valAuc(), r.imagesPerSecond(), best ? " | best so far, kept" : "");
    }

    static String duration(double seconds) {
        return ProgressBar.duration(seconds);
    }

    private void endLine() {
        if (bar != null) {
            bar.finish();
        }
    }
}
