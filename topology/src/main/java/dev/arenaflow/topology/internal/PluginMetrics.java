package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.arena.ArenaStore;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import java.util.function.DoubleSupplier;
import org.apache.kafka.common.metrics.MeasurableStat;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * One plugin's metrics in one task, registered with Kafka Streams' own metrics (group
 * {@value #GROUP}, tags {@code plugin} and {@code task-id}), so JMX and any Kafka metrics reporter
 * see them: arena size, attempts in flight, completions ignored as stale, retries and how late
 * they started, and messages parked.
 *
 * <p>Threading notes: a metrics reporter reads the values on its own thread while the stream
 * thread changes them; each is a single size or counter read, so a reading is at worst a moment
 * old, and nothing is locked on the hot path for it.
 */
final class PluginMetrics implements AutoCloseable {

    static final String GROUP = "arenaflow-plugin-metrics";

    private final StreamsMetrics metrics;
    private final Sensor sensor;
    private final Sensor lateness;

    PluginMetrics(ProcessorContext<?, ?> context, String plugin, ArenaStore arena, Dispatcher dispatcher,
                  PluginSteering steering) {
        this.metrics = context.metrics();
        Map<String, String> tags = Map.of("plugin", plugin, "task-id", context.taskId().toString());
        this.sensor = metrics.addSensor("arenaflow." + plugin + "." + context.taskId(), Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName("arena-entries", GROUP, "Messages held un-acknowledged in the arena", tags),
                new Reading(arena::size));
        sensor.add(new MetricName("in-flight", GROUP, "Async attempts in flight", tags),
                new Reading(dispatcher::inFlight));
        sensor.add(new MetricName("stale-completions-total", GROUP,
                "Completions of superseded attempts, ignored", tags),
                new Reading(dispatcher::staleCompletions));
        sensor.add(new MetricName("redelivered-total", GROUP,
                "Records consumed again while their restored arena entry was pending, dropped", tags),
                new Reading(dispatcher::redelivered));
        sensor.add(new MetricName("retries-total", GROUP, "Failed attempts sent to a retry topic", tags),
                new Reading(dispatcher::retriesSent));
        sensor.add(new MetricName("parked", GROUP,
                "Messages waiting for a retry, awaiting their retry record, or parked behind one", tags),
                new Reading(dispatcher::parked));
        sensor.add(new MetricName("parked-limit-total", GROUP,
                "Messages sent to the dead-letter topic because retry.max.parked was reached", tags),
                new Reading(dispatcher::parkedLimitHits));
        sensor.add(new MetricName("held", GROUP, "Messages held because the plugin is paused or disabled", tags),
                new Reading(dispatcher::held));
        sensor.add(new MetricName("state", GROUP, "The state applied: 0 enabled, 1 disabled, 2 paused", tags),
                new Reading(() -> steering.state().ordinal()));
        sensor.add(new MetricName("disabled-skipped-total", GROUP,
                "Records not handed to the plugin because it was disabled", tags), new Reading(steering::skipped));
        sensor.add(new MetricName("breaker-trips-total", GROUP,
                "Times the circuit breaker paused the plugin", tags), new Reading(steering::trips));
        this.lateness = metrics.addSensor("arenaflow." + plugin + "." + context.taskId() + ".retry-lateness",
                Sensor.RecordingLevel.INFO);
        lateness.add(new MetricName("retry-lateness-avg", GROUP,
                "How late retries were dispatched after their not-before time, ms", tags), new Avg());
        lateness.add(new MetricName("retry-lateness-max", GROUP,
                "The latest a retry was dispatched after its not-before time, ms", tags), new Max());
        dispatcher.onRetryLateness(lateness::record);
    }

    @Override
    public void close() {
        metrics.removeSensor(sensor);
        metrics.removeSensor(lateness);
    }

    /** A value read when the metric is read; nothing is recorded into it. */
    private record Reading(DoubleSupplier value) implements MeasurableStat {

        @Override
        public double measure(MetricConfig config, long now) {
            return value.getAsDouble();
        }

        @Override
        public void record(MetricConfig config, double value, long timeMs) {
        }
    }
}
