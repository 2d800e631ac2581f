package dev.arenaflow.cli.io;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The progress line of {@code arenaflow produce} on standard error, e.g.
 * {@code produced 12,340 records, 3,201/s, 0 failed}, or a command's own text through
 * {@link #update(Supplier)}, about once a second. On a terminal it rewrites one line with
 * {@code \r}; otherwise, as in a log file, it writes full lines, and only when something changed.
 * Other messages go above it through {@link #message}.
 *
 * <p>Threading notes: confined to one thread, which is the only one writing to the writer.
 */
public final class ProgressLine {

    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final double NANOS_PER_SECOND = 1e9;

    private final PrintWriter err;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private long lastNanos;
    private long lastProduced;
    private long lastFailed;
    private int shownLength;
    private String lastText;

    /**
     * @param err where to write, usually standard error
     * @param terminal true to rewrite one line with carriage returns
     * @param nanoClock a monotonic clock, e.g. {@code System::nanoTime}
     */
    public ProgressLine(PrintWriter err, boolean terminal, LongSupplier nanoClock) {
        this.err = err;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.lastNanos = startNanos;
    }

    /**
     * Shows the counts if about a second has passed since they were last shown.
     *
     * @param produced records acknowledged so far
     * @param failed records that failed so far
     */
    public void update(long produced, long failed) {
        long now = nanoClock.getAsLong();
        if (now - lastNanos < INTERVAL_NANOS) {
            return;
        }
        boolean changed = produced != lastProduced || failed != lastFailed;
        if (terminal || changed) {
            show(String.format(Locale.ROOT, "produced %,d records, %,d/s, %,d failed",
                    produced, perSecond(produced - lastProduced, now - lastNanos), failed));
        }
        lastNanos = now;
        lastProduced = produced;
        lastFailed = failed;
    }

    /**
     * Shows a command's own progress text if about a second has passed since the last update.
     *
     * @param text made only when it is due; off a terminal it is shown only if it changed
     */
    public void update(Supplier<String> text) {
        long now = nanoClock.getAsLong();
        if (now - lastNanos < INTERVAL_NANOS) {
            return;
        }
        String current = text.get();
        if (terminal || !current.equals(lastText)) {
            show(current);
        }
        lastNanos = now;
        lastText = current;
    }

    /** @param text a line to print above the progress line, without a line end */
    public void message(String text) {
        clear();
        err.println(text);
        err.flush();
    }

    /**
     * Replaces the progress line with a final one.
     *
     * @param text the summary, without a line end
     */
    public void finish(String text) {
        message(text);
    }

    /** @return nanoseconds since this line was created */
    public long elapsedNanos() {
        return nanoClock.getAsLong() - startNanos;
    }

    /**
     * @param count events
     * @param nanos over this long
     * @return events per second, rounded; 0 for no time
     */
    public static long perSecond(long count, long nanos) {
        return nanos <= 0 ? 0 : Math.round(count * NANOS_PER_SECOND / nanos);
    }

    /**
     * Tells whether standard error is a terminal. Java 17 cannot ask this directly, so on Linux it
     * reads where file descriptor 2 points; elsewhere it falls back to {@link System#console()},
     * which says whether standard input and output are.
     *
     * @return true if carriage returns will redraw a line
     */
    public static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    private void show(String text) {
        if (terminal) {
            err.print('\r' + text + " ".repeat(Math.max(0, shownLength - text.length())));
            shownLength = text.length();
        } else {
            err.println(text);
        }
        err.flush();
    }

    private void clear() {
        if (terminal && shownLength > 0) {
            err.print('\r' + " ".repeat(shownLength) + '\r');
            shownLength = 0;
        }
    }
}
