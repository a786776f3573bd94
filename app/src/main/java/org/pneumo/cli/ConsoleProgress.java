package org.pneumo.cli;

import java.io.PrintStream;
import java.util.Locale;
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

    ConsoleProgress(PrintStream out, PrintStream err) {
        this(out, err, System.console() != null);
    }

    ConsoleProgress(PrintStream out, PrintStream err, boolean terminal) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
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

    @Override
    public void batchFinished(int batch, int batches, double loss, double accuracy, double imagesPerSecond) {
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

    private void endLine() {
        if (bar != null) {
            bar.finish();
        }
    }
}
