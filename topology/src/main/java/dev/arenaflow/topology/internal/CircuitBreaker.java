package dev.arenaflow.topology.internal;

/**
 * Trips when a plugin's failure rate over a sliding window passes a threshold, once the window
 * has seen enough attempts to judge. The window is a ring of one-second buckets, so recording is
 * a couple of array writes, and nothing is allocated per attempt.
 *
 * <p>Threading notes: stream thread only.
 */
final class CircuitBreaker {

    private static final long BUCKET_MS = 1000;

    private final boolean enabled;
    private final double failureRate;
    private final int minAttempts;
    private final long[] bucketStart;
    private final int[] attempts;
    private final int[] failures;

    /**
     * @param enabled false: never trips on rate (a fatal failure still trips it)
     * @param failureRate trips at this share of failed attempts, in (0, 1]
     * @param windowMs the window's length
     * @param minAttempts attempts the window must hold before the rate counts
     */
    CircuitBreaker(boolean enabled, double failureRate, long windowMs, int minAttempts) {
        this.enabled = enabled;
        this.failureRate = failureRate;
        this.minAttempts = minAttempts;
        int buckets = (int) Math.max(1, (windowMs + BUCKET_MS - 1) / BUCKET_MS);
        this.bucketStart = new long[buckets];
        this.attempts = new int[buckets];
        this.failures = new int[buckets];
    }

    /**
     * Counts one finished attempt.
     *
     * @return a reason if the breaker trips now, else null; once tripped the window starts afresh
     */
    String record(boolean failed, long nowMs) {
        if (!enabled) {
            return null;
        }
        long start = nowMs - Math.floorMod(nowMs, BUCKET_MS);
        int i = (int) Math.floorMod(start / BUCKET_MS, (long) bucketStart.length);
        if (bucketStart[i] != start) {
            bucketStart[i] = start;
            attempts[i] = 0;
            failures[i] = 0;
        }
        attempts[i]++;
        if (failed) {
            failures[i]++;
        }
        long windowStart = start - (bucketStart.length - 1) * BUCKET_MS;
        int total = 0;
        int failed0 = 0;
        for (int b = 0; b < bucketStart.length; b++) {
            if (bucketStart[b] >= windowStart) {
                total += attempts[b];
                failed0 += failures[b];
            }
        }
        if (failed && total >= minAttempts && failed0 >= failureRate * total) {
            reset();
            return "circuit breaker: " + failed0 + " of the last " + total + " attempts failed within "
                    + bucketStart.length + " s (threshold " + Math.round(failureRate * 100) + "%)";
        }
        return null;
    }

    void reset() {
        java.util.Arrays.fill(bucketStart, Long.MIN_VALUE);
    }
}
