package dev.arenaflow.bench.stuck;

import dev.arenaflow.bench.api.Percentiles;
import java.util.Locale;
import java.util.Map;

/**
 * What the healthy sources got in one run's window: snapshots per second, and the latency from
 * each healthy input's send to its snapshot's arrival. An input sent in the window whose snapshot
 * had not arrived when the run stopped counts with its age at that moment, so under a stall the
 * percentiles are lower bounds, and {@link #missing} says how many inputs made them so.
 *
 * @param perSecond healthy snapshots that arrived within the window, per second
 * @param p50Ms median latency of healthy inputs sent within the window
 * @param p99Ms 99th percentile of the same
 * @param sent healthy inputs sent within the window
 * @param missing of those, how many had no snapshot when the run stopped
 */
record HealthyFigures(double perSecond, double p50Ms, double p99Ms, int sent, int missing) {

    /**
     * @param sentNanos per healthy sequence, when it was sent
     * @param arrivedNanos per healthy sequence, when its snapshot arrived
     * @param from the window's start, System.nanoTime()
     * @param to its end
     * @param stopped when the run stopped reading, after the window
     */
    static HealthyFigures of(Map<Long, Long> sentNanos, Map<Long, Long> arrivedNanos, long from, long to,
                             long stopped) {
        long out = arrivedNanos.values().stream().filter(t -> t >= from && t < to).count();
        long[] latencies = sentNanos.entrySet().stream().filter(e -> e.getValue() >= from && e.getValue() < to)
                .mapToLong(e -> arrivedNanos.getOrDefault(e.getKey(), stopped) - e.getValue()).toArray();
        int missing = (int) sentNanos.entrySet().stream().filter(e -> e.getValue() >= from && e.getValue() < to)
                .filter(e -> !arrivedNanos.containsKey(e.getKey())).count();
        Percentiles p = new Percentiles(latencies);
        return new HealthyFigures(out * 1e9 / (to - from), p.ms(50), p.ms(99), latencies.length, missing);
    }

    /** @return e.g. "2,000 records/s, p50 24.1 ms, p99 51.0 ms" with the missing inputs if any */
    String describe() {
        return String.format(Locale.ROOT, "%,.0f records/s, p50 %.1f ms, p99 %.1f ms%s", perSecond, p50Ms, p99Ms,
                missing == 0 ? "" : String.format(Locale.ROOT, " (%,d of %,d inputs without a snapshot at the end: "
                        + "latencies are lower bounds)", missing, sent));
    }
}
