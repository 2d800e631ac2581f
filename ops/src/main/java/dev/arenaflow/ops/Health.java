package dev.arenaflow.ops;

import dev.arenaflow.topology.registry.RegistryReachability;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The probe decisions, as pure functions of state the application holds.
 *
 * <ul>
 *   <li><b>Live</b> unless Kafka Streams is {@code ERROR}, {@code PENDING_ERROR} or
 *       {@code NOT_RUNNING}, or a stream thread died: a restart is the only way out of those.
 *       {@code REBALANCING}, {@code CREATED} and {@code PENDING_SHUTDOWN} are live.</li>
 *   <li><b>Ready</b> only while every readiness check passes: Kafka Streams is {@code RUNNING},
 *       the schema registry answers this instance's calls (no outage going on), no plugin's task
 *       has stalled (its progress watchdog), the HTTP server is bound, and whatever was added (the
 *       API servers).</li>
 * </ul>
 */
public final class Health {

    private static final Set<KafkaStreams.State> DEAD = Set.of(KafkaStreams.State.ERROR,
            KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.NOT_RUNNING);

    private Health() {
    }

    /**
     * @param state Kafka Streams' state
     * @param threadDied whether a stream thread died of an uncaught exception that stops the instance
     * @return the liveness verdict, with the one check {@code kafka-streams}
     */
    public static Verdict live(KafkaStreams.State state, boolean threadDied) {
        HealthCheck.Result result;
        if (threadDied) {
            result = HealthCheck.Result.down("a stream thread died (state " + state + ")");
        } else if (DEAD.contains(state)) {
            result = HealthCheck.Result.down("Kafka Streams is " + state);
        } else {
            result = HealthCheck.Result.up("Kafka Streams is " + state);
        }
        return new Verdict(List.of(new Verdict.Item("kafka-streams", result)));
    }

    /**
     * @param state Kafka Streams' state
     * @return the readiness check of Kafka Streams: up only while RUNNING
     */
    public static HealthCheck.Result streamsRunning(KafkaStreams.State state) {
        return state == KafkaStreams.State.RUNNING ? HealthCheck.Result.up("Kafka Streams is RUNNING")
                : HealthCheck.Result.down("Kafka Streams is " + state + ", not RUNNING");
    }

    /**
     * @param registry what the instance has seen of the schema registry
     * @return the readiness check of the registry: down while its calls fail with an outage
     */
    public static HealthCheck.Result registryAnswers(RegistryReachability registry) {
        return registry.outage()
                .map(o -> HealthCheck.Result.down("schema registry " + registry.registry() + " unreachable since "
                        + Instant.ofEpochMilli(o.sinceMillis()) + " (" + o.failedCalls() + " failed calls, last: "
                        + o.lastError() + "); snapshots that need it wait"))
                .orElseGet(() -> HealthCheck.Result.up("schema registry " + registry.registry() + " answers"));
    }

    /**
     * @param stalledTasks per plugin, its tasks the progress watchdog finds stalled now
     * @return the readiness check of the plugins: down while a task of one has stalled
     */
    public static HealthCheck.Result noPluginStalled(Map<String, Double> stalledTasks) {
        List<String> stalled = new TreeMap<>(stalledTasks).entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " (" + e.getValue().intValue() + " tasks)").toList();
        return stalled.isEmpty() ? HealthCheck.Result.up("no plugin stalled")
                : HealthCheck.Result.down("stalled, as the log says: " + String.join(", ", stalled));
    }

    /**
     * @param checks the readiness checks, in the order to report them
     * @return ready only if every check passes; a check that throws fails, with its exception as reason
     */
    public static Verdict ready(List<HealthCheck.Named> checks) {
        List<Verdict.Item> items = new ArrayList<>();
        for (HealthCheck.Named named : checks) {
            HealthCheck.Result result;
            try {
                result = named.check().check();
            } catch (RuntimeException e) {
                result = HealthCheck.Result.down("check failed: " + e);
            }
            items.add(new Verdict.Item(named.name(), result));
        }
        return new Verdict(items);
    }

    /**
     * What a probe answers: up only if every item is up, and each item's reason.
     *
     * @param items the checks asked, with their results
     */
    public record Verdict(List<Item> items) {

        /**
         * @param name the check's name
         * @param result its result
         */
        public record Item(String name, HealthCheck.Result result) {
        }

        public Verdict {
            items = List.copyOf(items);
        }

        /** @return true if every check passed (and there was at least one) */
        public boolean up() {
            return !items.isEmpty() && items.stream().allMatch(i -> i.result().ok());
        }

        /** @return the HTTP status a Kubernetes probe reads: 200 if up, else 503 */
        public int httpStatus() {
            return up() ? 200 : 503;
        }
    }
}
