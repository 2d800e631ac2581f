package dev.arenaflow.cli;

import dev.arenaflow.api.ApiServer;
import dev.arenaflow.cli.api.ApiAddress;
import dev.arenaflow.cli.io.SampleGenerator;
import dev.arenaflow.cli.io.ShutdownSignal;
import dev.arenaflow.cli.local.LocalStack;
import dev.arenaflow.cli.local.MoreFiles;
import dev.arenaflow.cli.lookup.LookupService;
import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.SnapshotSerdes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code arenaflow demo}: the whole pipeline on a real local broker and registry, in one command. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline on a real local broker and registry, with sample data.",
            "",
            "Starts a single-node Kafka broker (KRaft) and a schema registry on free 127.0.0.1 ports, runs arenaflow "
                + "with the built-in plugins (enrich against a small lookup service it also starts), feeds it sample "
                + "records from several sources (with gaps, duplicates and a few malformed records) and prints every "
                + "snapshot (received through the gRPC API's Subscribe, as any client would) and dead letter as a "
                + "JSON line. Progress goes to standard error, with the API's address (try 'arenaflow watch' and "
                + "'arenaflow get' against it while it runs) and the status page's (and /metrics, /health/ready), "
                + "both on 127.0.0.1. Ctrl-C stops everything and removes the temporary files."})
public final class DemoCommand implements Callable<Integer> {

    private static final String INPUT = "raw-events";
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Duration STALL = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @ParentCommand
    ArenaflowCommand parent;

    @Option(names = "--records", paramLabel = "N", description = "Stop after N records have been produced and processed; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--rate", paramLabel = "R", description = "Records produced per second (default: ${DEFAULT-VALUE}).")
    double rate = 20;

    @Option(names = "--sources", paramLabel = "K", description = "Number of sources (default: ${DEFAULT-VALUE}).")
    int sources = 5;

    @Option(names = "--partitions", paramLabel = "P", description = "Partitions of the input topic (default: ${DEFAULT-VALUE}).")
    int partitions = 2;

    @Option(names = "--malformed-rate", paramLabel = "F", description = "Fraction of malformed records, 0..1 (default: ${DEFAULT-VALUE}).")
    double malformedRate = 0.03;

    @Option(names = "--guarantee", paramLabel = "G", description = "at_least_once or exactly_once_v2 (default: ${DEFAULT-VALUE}).")
    String guarantee = StreamsConfig.EXACTLY_ONCE_V2;

    @Option(names = "--plugins", paramLabel = "LIST", split = ",",
            description = "Plugins to run (default: ${DEFAULT-VALUE}); enrich looks each source up in a local HTTP service the demo starts.")
    List<String> plugins = List.of("session", "enrich");

    @Option(names = "--plugin-path", paramLabel = "DIRS", split = ",",
            description = "Directories of plugin jars (arenaflow.plugin.path), for plugins named in --plugins that are not built in.")
    List<Path> pluginPath = List.of();

    @Option(names = "--lookup-unavailable", paramLabel = "F",
            description = "Fraction of lookups the local service answers with 503, to show retries (default: ${DEFAULT-VALUE}).")
    double lookupUnavailable = 0.05;

    @Option(names = "--api-port", paramLabel = "PORT",
            description = "Port of the gRPC API on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int apiPort;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Port of the status page and metrics on 127.0.0.1; 0 picks a free one, -1 turns them off (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--quiet", description = "Print progress only, not the records.")
    boolean quiet;

    @Option(names = "--seed", description = "Seed of the sample data (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Override
    public Integer call() throws Exception {
        if (apiPort < 0 || apiPort > 65_535) {
            throw new ParameterException(spec.commandLine(), "--api-port must be 0 (a free port) to 65535, not " + apiPort);
        }
        PrintWriter err = spec.commandLine().getErr();
        SampleGenerator generator = new SampleGenerator(new SampleGenerator.Settings(sources, seed, 0.02, 0.02,
                malformedRate, 48, 7, SampleGenerator.Interleave.RANDOM), System::currentTimeMillis);
        Path work = Files.createTempDirectory("arenaflow-demo-");
        // The signal is closed last: once it is, a Ctrl-C lets the JVM exit, so cleanup must be done by then.
        try (ShutdownSignal signal = ShutdownSignal.install(Duration.ofSeconds(60))) {
            say(err, "arenaflow demo: starting a Kafka broker and a schema registry in " + work + " ...");
            try (LocalStack stack = LocalStack.start(work);
                 LookupService lookup = LookupService.start(0, Duration.ofMillis(20), lookupUnavailable)) {
                say(err, "  broker:   " + stack.kafka().bootstrapServers());
                say(err, "  registry: " + stack.registry().apicurioV2Url() + "  (Confluent API: "
                        + stack.registry().ccompatUrl() + ")");
                say(err, "  lookup:   " + lookup.url() + "  (for the enrich plugin)");
                stack.kafka().createTopics(Map.of(INPUT, partitions));
                return run(stack, lookup, generator, work, signal, err);
            } finally {
                deleteWork(work, err);
            }
        }
    }

    private int run(LocalStack stack, LookupService lookup, SampleGenerator generator, Path work, ShutdownSignal signal,
                    PrintWriter err) throws Exception {
        Properties props = settings(stack, lookup, work);
        ArenaflowSettings settings = ArenaflowSettings.validate(props, getClass().getClassLoader());
        try (Instance instance = Instance.create(settings)) {
            ApiServer api = instance.api().orElseThrow();
            say(err, "  api:      " + api.address() + "  (gRPC; try: bin/arenaflow watch --api " + api.address()
                    + " --plugin " + plugins.get(0) + ", or bin/arenaflow get --api " + api.address() + " --plugin "
                    + plugins.get(0) + " --source " + generator.sourceName(0) + ")");
            if (instance.ops().enabled()) {
                say(err, "  status:   " + instance.ops().url() + "  (metrics: " + instance.ops().url() + "metrics)");
            }
            ArenaflowApplication app = instance.app();
            app.start();
            if (!app.awaitRunning(STARTUP)) {
                say(err, "arenaflow demo: Kafka Streams did not reach RUNNING within " + STARTUP.toSeconds() + " s");
                return 1;
            }
            say(err, "arenaflow demo: running plugins " + settings.config().pluginNames() + "; producing to " + INPUT
                    + " at " + rate + " records/s" + (records > 0 ? ", " + records + " records" : ", Ctrl-C to stop"));
            return watch(stack, settings, props, api, generator, signal, err);
        }
    }

    /**
     * Snapshots reach the demo the way an application's clients get them, through the API's
     * {@code Subscribe}; dead letters, which the API does not serve, through a consumer.
     */
    private int watch(LocalStack stack, ArenaflowSettings settings, Properties props, ApiServer api,
                      SampleGenerator generator, ShutdownSignal signal, PrintWriter err) throws InterruptedException {
        String bootstrap = stack.kafka().bootstrapServers();
        List<String> deadLetters = new ArrayList<>(List.of(settings.config().decodeDeadLetterTopic()));
        for (String plugin : settings.config().pluginNames()) {
            deadLetters.add(settings.config().deadLetterTopic(plugin));
        }
        DemoWatcher watcher = new DemoWatcher(bootstrap, deadLetters, settings.config().deadLetterTopic(""),
                () -> SnapshotSerdes.deserializer(props, false), parent.stdout(), !quiet);
        DemoSubscribers subscribers = new DemoSubscribers(ApiAddress.parse(api.address()),
                settings.config().pluginNames(), parent.stdout(), !quiet, line -> say(err, "arenaflow demo: " + line));
        DemoFeed feed = new DemoFeed(bootstrap, INPUT, generator, rate, records);
        Thread watching = start(watcher, "demo-watcher");
        subscribers.start();
        Thread feeding = start(feed, "demo-feed");
        signal.onRequest(() -> {
            feed.stop();
            watcher.stop();
            subscribers.stop();
        });
        try {
            return progress(feed, subscribers::snapshots, watcher::deadLetters,
                    plugins.size(), signal, err);
        } finally {
            feed.stop();
            feeding.join();
            feed.close();
            subscribers.stop();
            subscribers.join();
            watcher.stop();
            watching.join();
            watcher.close();
        }
    }

    /** Each valid record yields one output per plugin, and each malformed one a decode dead letter. */
    private int progress(DemoFeed feed, LongSupplier snapshots, LongSupplier deadLetters, int pluginCount,
                         ShutdownSignal signal, PrintWriter err) throws InterruptedException {
        long lastOut = 0;
        long lastTick = System.nanoTime();
        long lastChange = lastTick;
        while (!signal.requested()) {
            Thread.sleep(1000);
            long out = snapshots.getAsLong() + deadLetters.getAsLong();
            long now = System.nanoTime();
            say(err, String.format(Locale.ROOT, "in %,d | snapshots %,d | dead letters %,d | %,.0f records/s out",
                    feed.sent(), snapshots.getAsLong(), deadLetters.getAsLong(), (out - lastOut) / ((now - lastTick) / 1e9)));
            lastChange = out != lastOut ? now : lastChange;
            lastOut = out;
            lastTick = now;
            long expected = (feed.sent() - feed.malformed()) * pluginCount + feed.malformed();
            if (feed.done() && out >= expected) {
                say(err, "arenaflow demo: all " + feed.sent() + " records processed; stopping");
                return 0;
            }
            if (Duration.ofNanos(now - lastChange).compareTo(STALL) > 0 && out < expected) {
                say(err, "arenaflow demo: no output for " + STALL.toSeconds() + " s with " + (expected - out)
                        + " outputs outstanding; stopping");
                return 1;
            }
        }
        say(err, "arenaflow demo: stopping");
        return 0;
    }

    private Properties settings(LocalStack stack, LookupService lookup, Path work) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "arenaflow-demo");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.STATE_DIR_CONFIG, work.resolve("streams-state").toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ArenaflowConfig.INPUT_TOPICS, INPUT);
        props.put(ArenaflowConfig.PLUGINS, String.join(",", plugins));
        if (!pluginPath.isEmpty()) {
            props.put(ArenaflowConfig.PLUGIN_PATH, pluginPath.stream().map(Path::toString).collect(Collectors.joining(",")));
        }
        if (plugins.contains("enrich")) {
            props.put("plugin.enrich.url.template", lookup.urlTemplate());
            props.put("plugin.enrich.retry.delay.ms", "200");
        }
        props.put(ArenaflowConfig.REGISTRY_URL, stack.registry().apicurioV2Url());
        props.put(ArenaflowConfig.GRPC_HOST, "127.0.0.1");
        props.put(ArenaflowConfig.GRPC_PORT, Integer.toString(apiPort));
        props.put(ArenaflowConfig.HTTP_PORT, Integer.toString(httpPort));
        props.put(ArenaflowConfig.HTTP_BIND_ADDRESS, "127.0.0.1");
        return props;
    }

    private static Thread start(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void say(PrintWriter err, String line) {
        err.println(line);
        err.flush();
    }

    private static void deleteWork(Path work, PrintWriter err) {
        try {
            MoreFiles.deleteRecursively(work);
        } catch (IOException e) {
            say(err, "arenaflow demo: could not remove " + work + ": " + e);
        }
    }
}
