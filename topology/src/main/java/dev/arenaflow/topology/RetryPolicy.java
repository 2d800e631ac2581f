package dev.arenaflow.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a plugin's failed messages are retried: the backoff schedule, whose distinct delays are the
 * tiers of its retry topics, the attempt budget, jitter, ordering and the parking bound.
 *
 * @param backoff delay before attempt n+1 is the n-th entry; the last one repeats
 * @param maxAttempts attempts per message; after the last failed one it is a dead letter
 * @param jitter each wait is lengthened by a random fraction of it, below this
 * @param orderedAcrossRetries setting {@code retry.ordered}: while a message of a source waits for its retry, later
 *        ones of that source wait behind it
 * @param maxParked messages the plugin holds per task waiting for a retry (or behind one); more go to the DLQ
 */
public record RetryPolicy(List<Duration> backoff, int maxAttempts, double jitter, boolean orderedAcrossRetries,
                          int maxParked) {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    public RetryPolicy {
        backoff = List.copyOf(backoff);
        if (backoff.isEmpty()) {
            throw new IllegalArgumentException("the backoff schedule is empty");
        }
    }

    /**
     * @param failedAttempt the attempt that failed, from 1
     * @return how long to wait before the next attempt
     */
    public Duration delayAfter(int failedAttempt) {
        return backoff.get(Math.min(failedAttempt, backoff.size()) - 1);
    }

    /** @return the distinct delays of the schedule, shortest first: one retry topic each */
    public List<Duration> tiers() {
        return List.copyOf(new TreeSet<>(backoff));
    }

    /**
     * @param wanted how long a message should wait
     * @return the first tier at least that long, or the longest tier
     */
    public Duration tierFor(Duration wanted) {
        List<Duration> tiers = tiers();
        return tiers.stream().filter(t -> t.compareTo(wanted) >= 0).findFirst().orElse(tiers.get(tiers.size() - 1));
    }

    /**
     * @param delay a tier's delay
     * @return its name in topic names: the largest whole unit, e.g. {@code 500ms}, {@code 5s}, {@code 5m}
     */
    public static String tierName(Duration delay) {
        long ms = delay.toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms != 0 && ms % sizes[i] == 0) {
                return ms / sizes[i] + units[i];
            }
        }
        return ms + "ms";
    }

    /**
     * @param text a duration such as {@code 500ms}, {@code 1s}, {@code 5m}, {@code 2h} or {@code 1d}
     * @return the duration
     * @throws IllegalArgumentException naming the text if it is not one
     */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 500ms, 1s, 5m, 2h or 1d");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.isZero()) {
            throw new IllegalArgumentException("'" + text + "' is zero; a retry waits at least 1ms");
        }
        return d;
    }

    /**
     * @param texts durations, as in {@link #parseDuration}
     * @return them, in order
     */
    public static List<Duration> parseSchedule(List<String> texts) {
        List<Duration> out = new ArrayList<>();
        for (String t : texts) {
            out.add(parseDuration(t));
        }
        return out;
    }
}
