package dev.arenaflow.ops.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arenaflow.topology.registry.RegistryReachability;
import dev.arenaflow.ops.Health;
import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.PluginMeterNames;
import dev.arenaflow.topology.control.PluginControl;
import dev.arenaflow.topology.control.PluginStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * The JSON of {@code GET /api/status}: the application, this instance, Kafka Streams' state and
 * tasks, and per plugin its wanted state (control topic), what each task applied (status topic),
 * problems, this instance's counts and recent rates, and the throughput of the last minutes.
 * Setting overrides are shown masked where their names suggest a secret.
 *
 * <p>Threading notes: built on an HTTP thread from thread-safe sources.
 */
public final class StatusReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RATE_SECONDS = 10;
    /** The counts shown per plugin: JSON field, meter. */
    private static final Map<String, String> COUNTS = counts();

    private final ArenaflowApplication app;
    private final MeterRegistry registry;
    private final ControlFollower follower;
    private final Throughput throughput;
    private final ObjectNode instance;

    /**
     * @param instance what identifies this instance: host, pid, HTTP address
     */
    public StatusReport(ArenaflowApplication app, MeterRegistry registry, ControlFollower follower,
                        Throughput throughput, Map<String, Object> instance) {
        this.app = app;
        this.registry = registry;
        this.follower = follower;
        this.throughput = throughput;
        this.instance = JSON.valueToTree(instance);
    }

    /** @return the report, as of now */
    public ObjectNode build(Health.Verdict ready) {
        ObjectNode root = JSON.createObjectNode();
        root.put("application", app.settings().properties().getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
        root.set("instance", instance);
        root.put("ready", ready.up());
        root.set("streams", streams());
        root.set("registry", registry());
        ArrayNode plugins = root.putArray("plugins");
        Map<String, Map<String, Double>> counts = new LinkedHashMap<>();
        COUNTS.forEach((field, meter) -> counts.put(field, MeterSums.byPlugin(registry, meter)));
        Map<String, PluginControl> wanted = follower.wanted();
        for (String plugin : app.settings().config().pluginNames()) {
            plugins.add(plugin(plugin, wanted.get(plugin), counts));
        }
        root.set("throughput", throughput());
        return root;
    }

    private ObjectNode registry() {
        RegistryReachability reachability = app.registry();
        ObjectNode registry = JSON.createObjectNode();
        registry.put("address", reachability.registry());
        registry.put("reachable", reachability.outage().isEmpty());
        registry.put("outages", reachability.outages());
        reachability.outage().ifPresentOrElse(outage -> registry.putObject("outage")
                .put("since", outage.sinceMillis())
                .put("failed_calls", outage.failedCalls())
                .put("last_error", outage.lastError()), () -> registry.putNull("outage"));
        return registry;
    }

    private ObjectNode streams() {
        ObjectNode streams = JSON.createObjectNode();
        streams.put("state", app.streams().state().name());
        ArrayNode threads = streams.putArray("threads");
        for (ThreadMetadata thread : app.streams().metadataForLocalThreads()) {
            ObjectNode t = threads.addObject();
            t.put("name", thread.threadName());
            t.put("state", thread.threadState());
            ArrayNode active = t.putArray("active");
            thread.activeTasks().forEach(task -> active.addObject().put("task", task.taskId().toString())
                    .set("partitions", JSON.valueToTree(task.topicPartitions().stream().map(Object::toString).sorted()
                            .toList())));
            ArrayNode standby = t.putArray("standby");
            thread.standbyTasks().forEach(task -> standby.add(task.taskId().toString()));
        }
        return streams;
    }

    private ObjectNode plugin(String name, PluginControl wanted, Map<String, Map<String, Double>> counts) {
        ObjectNode plugin = JSON.createObjectNode();
        plugin.put("name", name);
        Map<String, PluginStatus> applied = follower.applied(name);
        plugin.put("state", state(name, applied, wanted));
        ObjectNode w = plugin.putObject("wanted");
        PluginControl control = wanted == null ? PluginControl.DEFAULT : wanted;
        w.put("state", control.state().text());
        w.put("reason", control.reason());
        w.put("by", control.by());
        w.put("at", control.atMs());
        ObjectNode config = w.putObject("config");
        control.config().forEach((k, v) -> config.put(k, ArenaflowSettings.printable(k, v)));
        ArrayNode tasks = plugin.putArray("applied");
        Set<String> problems = new TreeSet<>();
        applied.forEach((task, status) -> {
            tasks.addObject().put("task", task).put("state", status.state().text()).put("problem", status.problem())
                    .put("at", status.atMs());
            if (status.problem() != null) {
                problems.add(status.problem());
            }
        });
        plugin.set("problems", JSON.valueToTree(problems));
        ObjectNode c = plugin.putObject("counts");
        counts.forEach((field, byPlugin) -> c.put(field, byPlugin.getOrDefault(name, 0.0).longValue()));
        double[] rates = throughput.recentRates(name, RATE_SECONDS);
        ObjectNode r = plugin.putObject("rates");
        r.put("records_in", rates[0]).put("snapshots_out", rates[1]).put("dead_letters", rates[2]);
        return plugin;
    }

    /**
     * This instance's tasks first, as they apply it now; then the status topic; then what was asked.
     * Tasks that disagree (a change on its way) show as {@code mixed}.
     */
    private String state(String plugin, Map<String, PluginStatus> applied, PluginControl wanted) {
        Set<String> states = new TreeSet<>();
        for (Gauge gauge : registry.find(PluginMeterNames.STATE).tag("plugin", plugin).gauges()) {
            if (gauge.value() == 1) {
                states.add(gauge.getId().getTag("state"));
            }
        }
        if (states.isEmpty()) {
            applied.values().forEach(s -> states.add(s.state().text()));
        }
        if (states.isEmpty()) {
            return (wanted == null ? PluginControl.DEFAULT : wanted).state().text();
        }
        return states.size() == 1 ? states.iterator().next() : "mixed";
    }

    private ObjectNode throughput() {
        ObjectNode chart = JSON.createObjectNode();
        ArrayNode t = chart.putArray("t");
        List<ArrayNode> series = Throughput.SERIES.stream().map(s -> chart.putArray(fieldOf(s))).toList();
        for (Throughput.Sample sample : throughput.samples()) {
            t.add(sample.atMillis() / 1000.0);
            for (int i = 0; i < series.size(); i++) {
                series.get(i).add(sample.total(i));
            }
        }
        return chart;
    }

    private static String fieldOf(String meter) {
        return COUNTS.entrySet().stream().filter(e -> e.getValue().equals(meter)).findFirst().orElseThrow().getKey();
    }

    private static Map<String, String> counts() {
        Map<String, String> counts = new LinkedHashMap<>();
        counts.put("records_in", PluginMeterNames.RECORDS_IN);
        counts.put("snapshots_out", PluginMeterNames.SNAPSHOTS_OUT);
        counts.put("dead_letters", PluginMeterNames.DEAD_LETTERS);
        counts.put("retries", PluginMeterNames.RETRIES);
        counts.put("in_flight", PluginMeterNames.IN_FLIGHT);
        counts.put("max_in_flight", PluginMeterNames.MAX_IN_FLIGHT);
        counts.put("arena_entries", PluginMeterNames.ARENA_ENTRIES);
        counts.put("parked", PluginMeterNames.PARKED);
        counts.put("quarantined_sources", PluginMeterNames.QUARANTINED_SOURCES);
        counts.put("held", PluginMeterNames.HELD);
        counts.put("breaker_trips", PluginMeterNames.BREAKER_TRIPS);
        return counts;
    }
}
