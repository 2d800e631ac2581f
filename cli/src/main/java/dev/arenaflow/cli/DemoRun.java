package dev.arenaflow.cli;

import dev.arenaflow.api.ApiServer;
import dev.arenaflow.cli.api.ApiAddress;
import dev.arenaflow.cli.io.SampleGenerator;
import dev.arenaflow.cli.io.ShutdownSignal;
import dev.arenaflow.local.LocalStack;
import dev.arenaflow.local.MoreFiles;
import dev.arenaflow.local.lookup.LookupService;
import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.SnapshotSerdes;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What {@code arenaflow demo} does once it knows the local stack is on the class path. Kept apart
 * from {@link DemoCommand}, which picocli inspects by reflection in every installation: only this
 * class names the local stack's types, and it is loaded only in a source checkout.
 */
final class DemoRun {

    private static final String INPUT = "raw-events";
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Duration STALL = Duration.ofSeconds(60);

    private final PrintStream stdout;
    private final long records;
    private final double rate;
    private final int sources;
    private final int partitions;
    private final double malformedRate;
    private final String guarantee;
    private final List<String> plugins;
    private final List<Path> pluginPath;
    private final double lookupUnavailable;
    private final Map<String, String> overrides;
    private final int apiPort;
    private final int httpPort;
    private final boolean quiet;
    private final long seed;

    DemoRun(DemoCommand options, PrintStream stdout) {
        this.stdout = stdout;
        this.records = options.records;
        this.rate = options.rate;
        this.sources = options.sources;
        this.partitions = options.partitions;
        this.malformedRate = options.malformedRate;
        this.guarantee = options.guarantee;
        this.plugins = List.copyOf(options.plugins);
        this.pluginPath = List.copyOf(options.pluginPath);
        this.lookupUnavailable = options.lookupUnavailable;
        this.overrides = Map.copyOf(options.settings);
        this.apiPort = options.apiPort;
        this.httpPort = options.httpPort;
        this.quiet = options.quiet;
        this.seed = options.seed;
    }

    /** @return the exit status */
    int run(PrintWriter err) throws Exception {
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
                    + plugins.get(0) + " --source " + generator.sourceName(0) + "; bin/arenaflow why, with the same "
                    + "options, says why a source's messages are not done yet)");
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
                () -> SnapshotSerdes.deserializer(props, false), stdout, !quiet);
        DemoSubscribers subscribers = new DemoSubscribers(ApiAddress.parse(api.address()),
                settings.config().pluginNames(), stdout, !quiet, line -> say(err, "arenaflow demo: " + line));
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
        // Last, so that they win; the lookup service's port is only known now, hence the placeholder.
        overrides.forEach((key, value) -> props.put(key, value.replace(DemoCommand.LOOKUP_PLACEHOLDER, lookup.url())));
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
