package dev.arenaflow.bench.api;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of durations. */
public final class Percentiles {

    private final long[] sorted;

    /** @param nanos the durations, in nanoseconds; copied */
    public Percentiles(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no durations to take percentiles of");
        }
        this.sorted = nanos.clone();
        Arrays.sort(sorted);
    }

    /** @return the {@code p}-th percentile (0 < p <= 100), in milliseconds */
    public double ms(double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    public int count() {
        return sorted.length;
    }
}
