package dev.arenaflow.topology;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The settings arenaflow itself reads for every plugin, under {@code plugin.<name>.}: how much
 * may be in flight, how long an attempt may take, whether messages of one source are handled in
 * order, and how failed messages are retried. Plugins cannot define settings with these names.
 *
 * @param maxInFlight messages per task held un-acknowledged at most, apart from those waiting for a retry
 * @param timeoutMs an attempt not complete after this long has failed
 * @param orderedPerSource setting {@code ordered}: at most one message per source in flight, outcomes in input
 *        order per source
 * @param retry how failed messages are retried
 * @param breaker when the plugin is paused automatically
 * @param handleTimeoutMs a handle() call blocking the stream thread longer pauses the plugin
 * @param quarantine when a source's backlog is parked instead of taking in-flight capacity
 * @param watchdog when a task has stalled, and what then
 */
public record PluginLimits(int maxInFlight, long timeoutMs, boolean orderedPerSource, RetryPolicy retry,
                           Breaker breaker, long handleTimeoutMs, Quarantine quarantine, Watchdog watchdog) {

    /**
     * The progress watchdog of each task: a stall is no outcome applied for {@code noProgressMs}
     * while attempts are in flight, or an attempt in flight for longer than {@code maxAgeMs}.
     *
     * @param noProgressMs stall after this long without an outcome while attempts are in flight; 0: never
     * @param maxAgeMs stall while an attempt has been in flight longer than this; 0: never
     * @param action what a stall brings about, besides the log line, the counter and readiness
     */
    public record Watchdog(long noProgressMs, long maxAgeMs, Action action) {

        /** What a stall brings about. */
        public enum Action {
            /** Nothing more. */
            REPORT,
            /** The plugin is paused on every instance, as by the circuit breaker. */
            PAUSE,
            /** The stream thread fails and the instance stops, so that another takes its tasks over. */
            FAIL;

            /** @return the setting's value naming it */
            public String text() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }
        }
    }

    /**
     * When a source's backlog stops counting towards {@code max.in.flight} (with {@code ordered=true}):
     * its head has waited too long, or too many of its messages wait behind the head.
     *
     * @param enabled false: a source's backlog always counts towards {@code max.in.flight}
     * @param afterMs a source whose oldest un-acknowledged message arrived longer ago is quarantined
     * @param maxShare a source with more than this share of {@code max.in.flight} waiting behind its head is quarantined
     */
    public record Quarantine(boolean enabled, long afterMs, double maxShare) {

        /** Quarantine off. */
        public static final Quarantine OFF = new Quarantine(false, Long.MAX_VALUE, 1.0);

        /** @return how many messages may wait behind a source's head before it is quarantined; at least 1 */
        public int maxWaiting(int maxInFlight) {
            return Math.max(1, (int) Math.floor(maxInFlight * maxShare));
        }
    }

    /**
     * The circuit breaker: it pauses the plugin when too many of its recent attempts failed.
     *
     * @param enabled false: only a plugin throwing an {@link Error} is paused
     * @param failureRate share of failed attempts that trips it, in (0, 1]
     * @param windowMs how far back attempts count
     * @param minAttempts attempts the window must hold before the rate counts
     */
    public record Breaker(boolean enabled, double failureRate, long windowMs, int minAttempts) {
    }

    public static final String MAX_IN_FLIGHT = "max.in.flight";
    public static final String TIMEOUT_MS = "timeout.ms";
    public static final String ORDERED = "ordered";
    public static final String RETRY_BACKOFF = "retry.backoff";
    public static final String RETRY_MAX_ATTEMPTS = "retry.max.attempts";
    public static final String RETRY_JITTER = "retry.jitter";
    public static final String RETRY_ORDERED = "retry.ordered";
    public static final String RETRY_MAX_PARKED = "retry.max.parked";
    public static final String HANDLE_TIMEOUT_MS = "handle.timeout.ms";
    public static final String BREAKER_ENABLED = "breaker.enabled";
    public static final String BREAKER_FAILURE_RATE = "breaker.failure.rate";
    public static final String BREAKER_WINDOW_MS = "breaker.window.ms";
    public static final String BREAKER_MIN_ATTEMPTS = "breaker.min.attempts";
    public static final String WATCHDOG_NO_PROGRESS_MS = "watchdog.no.progress.ms";
    public static final String WATCHDOG_MAX_AGE_MS = "watchdog.max.age.ms";
    public static final String WATCHDOG_ACTION = "watchdog.action";
    public static final String QUARANTINE_ENABLED = "quarantine.enabled";
    public static final String QUARANTINE_AFTER_MS = "quarantine.after.ms";
    public static final String QUARANTINE_MAX_SHARE = "quarantine.max.share";

    // Well under the default max.poll.interval.ms (5 min): the stream thread may wait this long at the bound.
    private static final long MAX_TIMEOUT_MS = 120_000;
    private static final int MAX_TIERS = 10;

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(MAX_IN_FLIGHT, Type.INT, 1000, Range.between(1, 1_000_000), Importance.MEDIUM,
                    "Messages per task the plugin may hold un-acknowledged, apart from those waiting for a retry; "
                            + "at the bound the stream thread waits.")
            .define(TIMEOUT_MS, Type.LONG, 30_000L, Range.between(1, MAX_TIMEOUT_MS), Importance.MEDIUM,
                    "An attempt that has not completed after this long fails, and is retried.")
            .define(ORDERED, Type.BOOLEAN, true, Importance.MEDIUM,
                    "true: one message per source in flight, outcomes in input order per source.")
            .define(RETRY_BACKOFF, Type.LIST, List.of("1s", "10s", "1m"), PluginLimits::validSchedule,
                    Importance.MEDIUM, "Wait before attempt n+1 is the n-th delay (the last repeats); each distinct "
                            + "delay is a retry topic <retry prefix><plugin>.<delay>.")
            .define(RETRY_MAX_ATTEMPTS, Type.INT, 5, Range.between(1, 1000), Importance.MEDIUM,
                    "Attempts per message; after the last failed one the message is a dead letter.")
            .define(RETRY_JITTER, Type.DOUBLE, 0.1, Range.between(0.0, 1.0), Importance.LOW,
                    "Each wait is lengthened by a random fraction of itself below this, so retries spread out.")
            .define(RETRY_ORDERED, Type.BOOLEAN, false, Importance.MEDIUM,
                    "true: while a message waits for its retry, later messages of its source wait behind it. "
                            + "Needs ordered=true.")
            .define(RETRY_MAX_PARKED, Type.INT, 10_000, Range.between(1, 10_000_000), Importance.LOW,
                    "Messages per task waiting for a retry, or parked behind one; past it a message that would "
                            + "wait goes to the dead-letter topic as PARKED_LIMIT.")
            .define(HANDLE_TIMEOUT_MS, Type.LONG, 5_000L, Range.between(1, MAX_TIMEOUT_MS), Importance.LOW,
                    "A handle() call that blocks the stream thread longer is logged with its stack while it blocks, "
                            + "and pauses the plugin when it returns.")
            .define(BREAKER_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Pause the plugin (on every instance, through the control topic) when too many attempts fail.")
            .define(BREAKER_FAILURE_RATE, Type.DOUBLE, 0.5, Range.between(0.01, 1.0), Importance.LOW,
                    "Share of failed attempts within the window that trips the circuit breaker.")
            .define(BREAKER_WINDOW_MS, Type.LONG, 30_000L, Range.between(1000, 3_600_000), Importance.LOW,
                    "How far back the circuit breaker counts attempts.")
            .define(BREAKER_MIN_ATTEMPTS, Type.INT, 20, Range.between(1, 1_000_000), Importance.LOW,
                    "Attempts the window must hold before the circuit breaker judges the failure rate.")
            .define(WATCHDOG_NO_PROGRESS_MS, Type.LONG, 120_000L, Range.between(0, 86_400_000), Importance.LOW,
                    "A task with attempts in flight and no outcome applied for this long has stalled; 0: never.")
            .define(WATCHDOG_MAX_AGE_MS, Type.LONG, 60_000L, Range.between(0, 86_400_000), Importance.LOW,
                    "A task with an attempt in flight for longer than this has stalled; 0: never.")
            .define(WATCHDOG_ACTION, Type.STRING, "report", ConfigDef.CaseInsensitiveValidString.in("report", "pause",
                    "fail"), Importance.MEDIUM, "What a stall brings about besides a log line, a counter and readiness "
                            + "down: report (nothing more), pause (the plugin, on every instance), fail (this "
                            + "instance stops, so that another takes over).")
            .define(QUARANTINE_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
                    "With ordered=true: the backlog of a slow, stuck or hot source is parked (counted against "
                            + "retry.max.parked) instead of taking the in-flight capacity of the other sources.")
            .define(QUARANTINE_AFTER_MS, Type.LONG, 10_000L, Range.between(1, 86_400_000), Importance.LOW,
                    "A source whose oldest un-acknowledged message arrived longer ago than this is quarantined.")
            .define(QUARANTINE_MAX_SHARE, Type.DOUBLE, 0.05, Range.between(0.0, 1.0), Importance.LOW,
                    "A source with more than this share of max.in.flight waiting behind its head is quarantined "
                            + "(at least 1 message).");

    /** @return the names of these settings */
    public static Set<String> names() {
        return DEFINITION.names();
    }

    /**
     * @param settings a plugin's settings, without the {@code plugin.<name>.} prefix; others are ignored
     * @return the limits
     * @throws ConfigException naming the setting that is wrong
     */
    public static PluginLimits of(Map<String, ?> settings) {
        Map<String, Object> own = new HashMap<>();
        settings.forEach((k, v) -> {
            if (DEFINITION.names().contains(k)) {
                own.put(k, v);
            }
        });
        AbstractConfig config = new AbstractConfig(DEFINITION, own, false);
        boolean orderedPerSource = config.getBoolean(ORDERED);
        if (config.getBoolean(RETRY_ORDERED) && !orderedPerSource) {
            throw new ConfigException(RETRY_ORDERED, true, "ordered retry needs " + ORDERED + "=true");
        }
        RetryPolicy retry = new RetryPolicy(RetryPolicy.parseSchedule(config.getList(RETRY_BACKOFF)),
                config.getInt(RETRY_MAX_ATTEMPTS), config.getDouble(RETRY_JITTER), config.getBoolean(RETRY_ORDERED),
                config.getInt(RETRY_MAX_PARKED));
        Breaker breaker = new Breaker(config.getBoolean(BREAKER_ENABLED), config.getDouble(BREAKER_FAILURE_RATE),
                config.getLong(BREAKER_WINDOW_MS), config.getInt(BREAKER_MIN_ATTEMPTS));
        Quarantine quarantine = config.getBoolean(QUARANTINE_ENABLED) && orderedPerSource
                ? new Quarantine(true, config.getLong(QUARANTINE_AFTER_MS), config.getDouble(QUARANTINE_MAX_SHARE))
                : Quarantine.OFF;
        return new PluginLimits(config.getInt(MAX_IN_FLIGHT), config.getLong(TIMEOUT_MS), orderedPerSource, retry, breaker,
                config.getLong(HANDLE_TIMEOUT_MS), quarantine, new Watchdog(config.getLong(WATCHDOG_NO_PROGRESS_MS),
                config.getLong(WATCHDOG_MAX_AGE_MS), Watchdog.Action.valueOf(
                        config.getString(WATCHDOG_ACTION).toUpperCase(java.util.Locale.ROOT))));
    }

    private static void validSchedule(String name, Object value) {
        List<?> list = (List<?>) value;
        if (list == null || list.isEmpty()) {
            throw new ConfigException(name, value, "needs at least one delay, e.g. 1s,10s,1m");
        }
        try {
            List<String> texts = list.stream().map(Object::toString).toList();
            int tiers = new java.util.TreeSet<>(RetryPolicy.parseSchedule(texts)).size();
            if (tiers > MAX_TIERS) {
                throw new ConfigException(name, value, "has " + tiers + " distinct delays, one retry topic each; "
                        + "at most " + MAX_TIERS);
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }
}
