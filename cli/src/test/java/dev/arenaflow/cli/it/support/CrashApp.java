package dev.arenaflow.cli.it.support;

import dev.arenaflow.ops.OperationsEndpoint;
import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.PluginCatalog;
import dev.arenaflow.topology.SnapshotSerdes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The main class of a child JVM that runs one arenaflow instance until it is killed or sent SIGTERM.
 *
 * <p>Each argument is one {@code key=value} setting (bootstrap servers, registry URL, application
 * id, input topic, topic prefixes, processing guarantee, state dir, plugins and their limits,
 * commit interval, client timeouts). It serves its operations endpoint on a free port of
 * 127.0.0.1 unless the settings say otherwise. Standard output carries lines the test waits for:
 * {@code HTTP <url>} once, the endpoint's address (its {@code /metrics} carry what the test reads
 * about restored arena entries); {@code RUNNING} once, when Kafka Streams first runs; {@code TASKS <ids>} whenever the active tasks
 * change; {@code STATE <state>} whenever the state changes; {@code ARENA <task>=<entries>,...} whenever
 * the plugins' arena sizes change (read from the {@code arena-entries} metric, summed over plugins);
 * {@code REGISTRY DOWN} and {@code REGISTRY UP} when the instance sees a registry outage begin and end;
 * {@code CLOSED} after a clean close; {@code FAILED} (exit status 3) if a stream thread died.
 * Logs go to standard error.
 */
public final class CrashApp {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(200);

    private CrashApp() {
    }

    public static void main(String[] args) throws Exception {
        Properties props = parse(args);
        // This child serves no API, so it needs no latest-snapshot stores (their tasks would join the ones tests watch).
        props.putIfAbsent(ArenaflowConfig.GRPC_PORT, Integer.toString(ArenaflowConfig.GRPC_OFF));
        // The test reads the instance's state from its operations endpoint, on a free port of this host.
        props.putIfAbsent(ArenaflowConfig.HTTP_PORT, "0");
        props.putIfAbsent(ArenaflowConfig.HTTP_BIND_ADDRESS, "127.0.0.1");
        PrometheusMeterRegistry meters = OperationsEndpoint.newRegistry(
                props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
        ArenaflowApplication app = ArenaflowApplication.create(
                ArenaflowSettings.validate(props, PluginCatalog.load(CrashApp.class.getClassLoader())),
                SnapshotSerdes.serializer(props), meters);
        OperationsEndpoint ops = OperationsEndpoint.start(app, meters);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            ops.close();
            say("CLOSED");
        }, "crash-app-close"));
        say("HTTP " + ops.url());
        app.start();
        if (!app.awaitRunning(START_TIMEOUT)) {
            say("FAILED to run within " + START_TIMEOUT);
            System.exit(2);
        }
        say("RUNNING");
        watch(app);
        if (app.awaitTermination()) {
            say("FAILED: the stream thread died; see the log");
            System.exit(3);
        }
        say("STOPPED");
    }

    /** Reports state, task and arena size changes until the instance stops. */
    private static void watch(ArenaflowApplication app) throws InterruptedException {
        String tasks = null;
        String arena = null;
        KafkaStreams.State state = null;
        boolean registryDown = false;
        while (!app.awaitTermination(WATCH_INTERVAL)) {
            boolean nowDown = app.registry().outage().isPresent();
            if (nowDown != registryDown) {
                registryDown = nowDown;
                say(nowDown ? "REGISTRY DOWN" : "REGISTRY UP");
            }
            KafkaStreams.State nowState = app.streams().state();
            if (nowState != state) {
                state = nowState;
                say("STATE " + state);
            }
            String now = activeTasks(app.streams());
            if (!now.equals(tasks)) {
                tasks = now;
                say("TASKS " + tasks);
            }
            String nowArena = arenaEntries(app.meters());
            if (!nowArena.equals(arena)) {
                arena = nowArena;
                say("ARENA " + arena);
            }
        }
    }

    /** @return entries held in the arenas per task, e.g. {@code 0_1=37,0_3=12}; empty if none is open */
    private static String arenaEntries(io.micrometer.core.instrument.MeterRegistry meters) {
        try {
            Map<String, Integer> entries = new TreeMap<>();
            meters.find(dev.arenaflow.topology.PluginMeterNames.ARENA_ENTRIES).gauges().forEach(g ->
                    entries.merge(g.getId().getTag("task"), (int) g.value(), Integer::sum));
            return entries.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(","));
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String activeTasks(KafkaStreams streams) {
        try {
            return streams.metadataForLocalThreads().stream()
                    .flatMap(t -> t.activeTasks().stream())
                    .map(t -> t.taskId().toString())
                    .collect(Collectors.toCollection(TreeSet::new)).stream()
                    .collect(Collectors.joining(","));
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static Properties parse(String[] args) {
        Properties props = new Properties();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value but got " + arg);
            }
            props.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return props;
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
