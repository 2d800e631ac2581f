package dev.arenaflow.topology;

import java.util.List;

/**
 * The names of the per-plugin meters an application registers in its Micrometer registry, each
 * tagged {@code plugin} and {@code task} (the Kafka Streams task id). In Prometheus's text format
 * they appear with dots as underscores, {@code _total} on counters and {@code _seconds} on timers,
 * e.g. {@code arenaflow_plugin_snapshots_out_total}.
 */
public final class PluginMeterNames {

    /** Counter: input records routed to the plugin (retry records not included). */
    public static final String RECORDS_IN = "arenaflow.plugin.records.in";
    /** Counter: snapshots the plugin emitted. */
    public static final String SNAPSHOTS_OUT = "arenaflow.plugin.snapshots.out";
    /** Counter, tag {@code code}: messages sent to the plugin's dead-letter topic. */
    public static final String DEAD_LETTERS = "arenaflow.plugin.dead.letters";
    /** Counter, tag {@code tier}: failed attempts sent to a retry topic. */
    public static final String RETRIES = "arenaflow.plugin.retries";
    /** Gauge: async attempts in flight. */
    public static final String IN_FLIGHT = "arenaflow.plugin.in.flight";
    /** Gauge: the plugin's {@code max.in.flight} bound, per task. */
    public static final String MAX_IN_FLIGHT = "arenaflow.plugin.max.in.flight";
    /** Gauge: messages held un-acknowledged in the arena. */
    public static final String ARENA_ENTRIES = "arenaflow.plugin.arena.entries";
    /**
     * Gauge: arena entries the task found when it opened the plugin, restored from the arena's
     * changelog (or its local state) because they were pending at the last commit; each is dispatched
     * again. Set once per opening: a task closed and opened again shows what its latest opening found.
     */
    public static final String RESTORED_ENTRIES = "arenaflow.plugin.restored.entries";
    /** Gauge: messages waiting for a retry, or parked behind one or behind a quarantined source's head. */
    public static final String PARKED = "arenaflow.plugin.parked";
    /** Gauge: sources quarantined now: their backlog is parked instead of taking in-flight capacity. */
    public static final String QUARANTINED_SOURCES = "arenaflow.plugin.quarantined.sources";
    /** Counter: times a source was quarantined. */
    public static final String QUARANTINES = "arenaflow.plugin.quarantines";
    /** Gauge: 1 while the task's progress watchdog finds it stalled, else 0. */
    public static final String STALLED = "arenaflow.plugin.stalled";
    /** Counter: stalls the progress watchdog found. */
    public static final String STALLS = "arenaflow.plugin.stalls";
    /** Gauge: messages held because the plugin is paused or disabled. */
    public static final String HELD = "arenaflow.plugin.held";
    /** Gauge, tag {@code state} (enabled, paused, disabled): 1 for the state applied, else 0. */
    public static final String STATE = "arenaflow.plugin.state";
    /** Counter: times the circuit breaker paused the plugin. */
    public static final String BREAKER_TRIPS = "arenaflow.plugin.breaker.trips";
    /** Counter: records skipped because the plugin was disabled. */
    public static final String DISABLED_SKIPPED = "arenaflow.plugin.disabled.skipped";
    /** Counter: completions of superseded attempts, ignored. */
    public static final String STALE_COMPLETIONS = "arenaflow.plugin.stale.completions";
    /** Counter: records consumed again while their restored arena entry was pending. */
    public static final String REDELIVERED = "arenaflow.plugin.redelivered";
    /** Counter: messages dead-lettered because {@code retry.max.parked} was reached. */
    public static final String PARKED_LIMIT = "arenaflow.plugin.parked.limit";
    /** Timer (histogram): time the stream thread spent in {@code handle()}. */
    public static final String HANDLE_DURATION = "arenaflow.plugin.handle.duration";
    /** Timer (histogram): from an async attempt's start to its completion being applied. */
    public static final String ASYNC_COMPLETION = "arenaflow.plugin.async.completion";
    /** Timer (histogram): how late retries were dispatched after their not-before time. */
    public static final String RETRY_LATENESS = "arenaflow.plugin.retry.lateness";

    /** Every name above. */
    public static final List<String> ALL = List.of(RECORDS_IN, SNAPSHOTS_OUT, DEAD_LETTERS, RETRIES, IN_FLIGHT,
            MAX_IN_FLIGHT, ARENA_ENTRIES, RESTORED_ENTRIES, PARKED, QUARANTINED_SOURCES, QUARANTINES, STALLED, STALLS, HELD, STATE, BREAKER_TRIPS, DISABLED_SKIPPED, STALE_COMPLETIONS,
            REDELIVERED, PARKED_LIMIT, HANDLE_DURATION, ASYNC_COMPLETION, RETRY_LATENESS);

    private PluginMeterNames() {
    }
}
