package org.pneumo.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * The command line's one progress bar ({@code label [=====>    ] done/total details}): redrawn in place on a terminal,
 * a line every 10% otherwise, so logs stay short. As an {@link IntConsumer} it counts images and shows their rate and
 * the time left (only for jobs of more than a few images). Thread-safe.
 */
final class ProgressBar implements IntConsumer {
    private static final int MIN_ITEMS = 6;
    private static final int WIDTH = 24;

    private final PrintStream out;
    private final String label;
    private final int total;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private int lastDecile = -1;
    private boolean drawn;

    ProgressBar(PrintStream out, String label, int total) {
        this(out, label, total, System.console() != null);
    }

    ProgressBar(PrintStream out, String label, int total, boolean terminal) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.terminal = terminal;
    }

    /** Counts {@code done} images: the bar with images/s and the time left. */
    @Override
    public synchronized void accept(int done) {
        if (total < MIN_ITEMS) {
            return;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double rate = elapsed > 0 ? done / elapsed : 0;
        double left = rate > 0 ? (total - done) / rate : 0;
        show(done, String.format(Locale.ROOT, "%.1f img/s left %s", rate, duration(left)));
    }

    /** Draws the bar at {@code done} of the total, with {@code details} after the count. */
    synchronized void show(int done, String details) {
        int filled = total <= 0 ? WIDTH : Math.min(WIDTH, done * WIDTH / total);
        String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
        String line = String.format(Locale.ROOT, "%s [%s] %d/%d %s", label, bar, done, total, details);
        if (terminal) {
            out.print("\r" + line);
            drawn = true;
        } else {
            int decile = total <= 0 ? 10 : done * 10 / total;
            if (decile != lastDecile) {
                lastDecile = decile;
                out.println(line);
            }
        }
    }

    /** Ends the bar: on a terminal, clears its line so the next output starts clean. */
    synchronized void finish() {
        if (terminal && drawn) {
            out.print("\r\033[K");
            out.flush();
            drawn = false;
        }
    }

    /** Seconds since the bar was made. */
    double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Seconds as {@code 1m05s}, or {@code 2h03m} from an hour on. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
