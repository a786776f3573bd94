package org.pneumo.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * A counting progress bar for long jobs (more than a few items): redrawn in place on a terminal, a line every 10%
 * otherwise. Thread-safe.
 */
final class ProgressLine implements IntConsumer {
    private static final int MIN_ITEMS = 6;
    private static final int WIDTH = 24;

    private final PrintStream out;
    private final String label;
    private final int total;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private int lastDecile = -1;
    private boolean drawn;

    ProgressLine(PrintStream out, String label, int total) {
        this(out, label, total, System.console() != null);
    }

    ProgressLine(PrintStream out, String label, int total, boolean terminal) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.terminal = terminal;
    }

    @Override
    public synchronized void accept(int done) {
        if (total < MIN_ITEMS) {
            return;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double rate = elapsed > 0 ? done / elapsed : 0;
        double left = rate > 0 ? (total - done) / rate : 0;
        int filled = done * WIDTH / total;
        String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
        String line = String.format(Locale.ROOT, "%s [%s] %d/%d %.1f img/s left %s", label, bar, done, total, rate,
                ConsoleProgress.duration(left));
        if (terminal) {
            out.print("\r" + line);
            drawn = true;
        } else {
            int decile = done * 10 / total;
            if (decile != lastDecile) {
                lastDecile = decile;
                out.println(line);
            }
        }
    }

    /** Ends the bar's line on a terminal. */
    synchronized void finish() {
        if (terminal && drawn) {
            out.println();
        }
    }
}
