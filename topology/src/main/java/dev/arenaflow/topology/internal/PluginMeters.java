package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.PluginMeterNames;
import dev.arenaflow.topology.PluginSpec;
import dev.arenaflow.topology.RetryPolicy;
import dev.arenaflow.topology.arena.ArenaStore;
import dev.arenaflow.topology.control.PluginControl;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * One plugin's meters in one task, in the application's Micrometer registry, tagged {@code plugin}
 * and {@code task}; {@link dev.arenaflow.topology.PluginMeterNames} lists them. Registered when the
 * task opens the plugin and removed when it closes it, so a task that moves to another instance
 * leaves no stale series here.
 *
 * <p>Threading notes: the counters and timers are updated on the stream thread; a registry reads
 * every meter on its own thread (a scrape). Gauges read a size or a counter, so a reading is at
 * worst a moment old, and nothing is locked on the hot path for it.
 */
final class PluginMeters implements AutoCloseable {

    /** Codes beyond this many distinct ones per plugin and task are counted as {@value #OTHER_CODE}. */
    static final int MAX_CODES = 32;
    static final String OTHER_CODE = "OTHER";
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final MeterRegistry registry;
    private final Tags tags;
    private final List<Meter> meters = new ArrayList<>();
    private final Map<String, Counter> deadLetters = new HashMap<>();
    private final Map<Duration, Counter> retries = new HashMap<>();
    private final Counter recordsIn;
    private final Counter snapshotsOut;
    private final Timer handleDuration;
    private final Timer asyncCompletion;
    private final Timer retryLateness;

    PluginMeters(MeterRegistry registry, PluginSpec spec, String task) {
        this.registry = registry;
        this.tags = Tags.of("plugin", spec.name(), "task", task);
        this.recordsIn = counter(PluginMeterNames.RECORDS_IN, "Input records routed to the plugin", tags);
        this.snapshotsOut = counter(PluginMeterNames.SNAPSHOTS_OUT, "Snapshots the plugin emitted", tags);
        for (Duration tier : spec.limits().retry().tiers()) {
            retries.put(tier, counter(PluginMeterNames.RETRIES, "Failed attempts sent to a retry topic, by tier",
                    tags.and("tier", RetryPolicy.tierName(tier))));
        }
        this.handleDuration = timer(PluginMeterNames.HANDLE_DURATION,
                "Time the stream thread spent in the plugin's handle() call");
        this.asyncCompletion = timer(PluginMeterNames.ASYNC_COMPLETION,
                "Time from an async attempt's start to its completion being applied");
        this.retryLateness = timer(PluginMeterNames.RETRY_LATENESS,
                "How late retries were dispatched after their not-before time");
        gauge(PluginMeterNames.MAX_IN_FLIGHT, "The plugin's max.in.flight bound per task",
                spec, s -> s.limits().maxInFlight());
    }

    /**
     * Registers the meters that read the task's running parts.
     *
     * @param restoredEntries the arena's size when the task opened the plugin: what it restored
     */
    void watch(ArenaStore arena, int restoredEntries, Dispatcher dispatcher, PluginSteering steering, Watchdog watchdog) {
        gauge(PluginMeterNames.STALLED, "1 while the progress watchdog finds the task stalled", watchdog,
                w -> w.stalled() ? 1 : 0);
        functionCounter(PluginMeterNames.STALLS, "Stalls the progress watchdog found", watchdog, Watchdog::stalls);
        gauge(PluginMeterNames.RESTORED_ENTRIES, "Arena entries restored when the task opened the plugin, each "
                + "dispatched again", restoredEntries, Integer::doubleValue);
        gauge(PluginMeterNames.ARENA_ENTRIES, "Messages held un-acknowledged in the arena", arena, ArenaStore::size);
        gauge(PluginMeterNames.IN_FLIGHT, "Async attempts in flight", dispatcher, Dispatcher::inFlight);
        gauge(PluginMeterNames.PARKED, "Messages waiting for a retry, awaiting their retry record, or parked "
                + "behind one or behind a quarantined source", dispatcher, Dispatcher::parked);
        gauge(PluginMeterNames.QUARANTINED_SOURCES, "Sources quarantined: their backlog is parked instead of taking "
                + "in-flight capacity", dispatcher, Dispatcher::quarantinedSources);
        functionCounter(PluginMeterNames.QUARANTINES, "Times a source was quarantined", dispatcher,
                Dispatcher::quarantines);
        gauge(PluginMeterNames.HELD, "Messages held because the plugin is paused or disabled", dispatcher,
                Dispatcher::held);
        for (PluginControl.State state : PluginControl.State.values()) {
            meters.add(Gauge.builder(PluginMeterNames.STATE, steering, s -> s.state() == state ? 1 : 0)
                    .description("1 for the state the task applies to the plugin, else 0")
                    .tags(tags.and("state", state.text())).strongReference(true).register(registry));
        }
        functionCounter(PluginMeterNames.BREAKER_TRIPS, "Times the circuit breaker paused the plugin", steering,
                PluginSteering::trips);
        functionCounter(PluginMeterNames.DISABLED_SKIPPED, "Records not handed to the plugin because it was "
                + "disabled", steering, PluginSteering::skipped);
        functionCounter(PluginMeterNames.STALE_COMPLETIONS, "Completions of superseded attempts, ignored",
                dispatcher, Dispatcher::staleCompletions);
        functionCounter(PluginMeterNames.REDELIVERED, "Records consumed again while their restored arena entry "
                + "was pending, dropped", dispatcher, Dispatcher::redelivered);
        functionCounter(PluginMeterNames.PARKED_LIMIT, "Messages sent to the dead-letter topic because "
                + "retry.max.parked was reached", dispatcher, Dispatcher::parkedLimitHits);
    }

    void recordIn() {
        recordsIn.increment();
    }

    void snapshotsOut(int count) {
        snapshotsOut.increment(count);
    }

    /** @param code the failure's error code; one of a bounded set of label values */
    void deadLetter(String code) {
        Counter counter = deadLetters.get(code);
        if (counter == null) {
            String label = deadLetters.size() < MAX_CODES ? code : OTHER_CODE;
            counter = deadLetters.computeIfAbsent(label, c -> counter(PluginMeterNames.DEAD_LETTERS,
                    "Messages sent to the plugin's dead-letter topic, by error code", tags.and("code", c)));
        }
        counter.increment();
    }

    void retry(Duration tier) {
        Counter counter = retries.get(tier);
        if (counter != null) {
            counter.increment();
        }
    }

    void handled(long nanos) {
        handleDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    void completedAsync(long millis) {
        asyncCompletion.record(millis, TimeUnit.MILLISECONDS);
    }

    void retryLate(long millis) {
        retryLateness.record(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }

    private Counter counter(String name, String description, Tags meterTags) {
        Counter counter = Counter.builder(name).description(description).tags(meterTags).register(registry);
        meters.add(counter);
        return counter;
    }

    private Timer timer(String name, String description) {
        Timer timer = Timer.builder(name).description(description).tags(tags).serviceLevelObjectives(BUCKETS)
                .minimumExpectedValue(BUCKETS[0]).maximumExpectedValue(BUCKETS[BUCKETS.length - 1])
                .register(registry);
        meters.add(timer);
        return timer;
    }

    private <T> void gauge(String name, String description, T target, ToDoubleFunction<T> value) {
        meters.add(Gauge.builder(name, target, value).description(description).tags(tags).strongReference(true)
                .register(registry));
    }

    private <T> void functionCounter(String name, String description, T target, ToDoubleFunction<T> value) {
        meters.add(FunctionCounter.builder(name, target, value).description(description).tags(tags)
                .register(registry));
    }
}
