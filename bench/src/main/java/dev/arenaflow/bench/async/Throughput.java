package dev.arenaflow.bench.async;

import java.util.Locale;

/**
 * One end-to-end run's timing: from start until every output was seen, and the part of it before
 * the first output (start-up: group join, topic preparation, schema registration), which weighs
 * heavily on short runs.
 *
 * @param records inputs, each with one output
 * @param startedNanos {@link System#nanoTime()} at start
 * @param firstNanos when the first output was seen
 * @param endedNanos when the last output was seen
 */
public record Throughput(long records, long startedNanos, long firstNanos, long endedNanos) {

    /** @return records per second over the whole run */
    public double perSecond() {
        return records * 1e9 / (endedNanos - startedNanos);
    }

    /** @return records per second from the first output on */
    public double afterFirstPerSecond() {
        return records * 1e9 / (endedNanos - firstNanos);
    }

    /** @return e.g. "first output after 0.84 s, 61,000 records/s from then on" */
    public String describe() {
        return String.format(Locale.ROOT, "first output after %.2f s, %,.0f records/s from then on",
                (firstNanos - startedNanos) / 1e9, afterFirstPerSecond());
    }
}
