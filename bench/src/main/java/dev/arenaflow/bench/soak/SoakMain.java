package dev.arenaflow.bench.soak;

import dev.arenaflow.bench.BenchMain;
import dev.arenaflow.local.KafkaOptions;
import dev.arenaflow.local.LocalStack;
import dev.arenaflow.local.LocalStackLayout;
import dev.arenaflow.local.MoreFiles;
import dev.arenaflow.local.TcpProxy;
import dev.arenaflow.plugins.session.SessionPlugin;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.PluginCatalog;
import dev.arenaflow.topology.TopicPreparer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code bench/run.sh soak --minutes N}: two arenaflow instances under a steady producer for N
 * minutes while {@link SoakFaults} kills and restarts an instance, kills and restarts the broker,
 * and cuts the registry off; then the soak's own reader accounts for every input
 * ({@link SoakAccount}), and {@link SoakReport} prints and writes the table. Exit status 0 if
 * nothing was lost and, under exactly_once_v2, nothing doubled; 1 otherwise; 2 for bad arguments.
 */
public final class SoakMain implements AutoCloseable {

    static final String APP = "soak";
    private static final int PARTITIONS = 4;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final Duration DRAIN_MAX = Duration.ofMinutes(3);
    private static final Duration DRAIN_STALL = Duration.ofSeconds(60);

    private final SoakOptions options;
    private final Path work;
    private final List<SoakInstance> instances = new ArrayList<>();
    private final FaultLog faults = new FaultLog();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile LocalStack stack;
    private volatile TcpProxy proxy;
    private volatile SoakFeed feed;
    private volatile Thread faultThread;
    private volatile boolean keepWork = true;
    private final Thread mainThread = Thread.currentThread();

    private SoakMain(SoakOptions options, Path work) {
        this.options = options;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        SoakOptions options;
        try {
            options = SoakOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(SoakOptions.USAGE);
            System.exit(2);
            return;
        }
        progress("seed " + options.seed() + " (repeat with --seed " + options.seed() + ")");
        SoakMain soak = new SoakMain(options, Files.createTempDirectory("arenaflow-soak-"));
        Runtime.getRuntime().addShutdownHook(new Thread(soak::close, "soak-close"));
        int status;
        try {
            status = soak.run();
        } finally {
            soak.close();
        }
        System.exit(status);
    }

    /** Prints a progress line to stderr. */
    static void progress(String line) {
        System.err.println("[soak] " + line);
    }

    private int run() throws Exception {
        Map<String, String> settings = startStack();
        String snapshotTopic = APP + ".snapshots." + SessionPlugin.NAME;
        List<String> deadLetterTopics = List.of(APP + ".dlq." + SessionPlugin.NAME, APP + ".dlq.decode");
        for (String name : List.of("instance-a", "instance-b")) {
            SoakInstance instance = SoakInstance.prepare(name, work, settings);
            instances.add(instance);
            instance.start();
        }
        feed = new SoakFeed(stack.kafka().bootstrapServers(), inputTopic(), faults);
        faults.start();
        feed.start(options.rate());
        long deadline = System.nanoTime() + Duration.ofMinutes(options.minutes()).toNanos();
        SoakFaults faulter = new SoakFaults(options.seed(), deadline, faults, instances, stack.kafka(), proxy);
        faultThread = new Thread(faulter, "soak-faults");
        faultThread.start();
        progress("running " + options.minutes() + " min at " + options.rate() + " records/s, " + options.guarantee());
        try (SoakReader follower = reader(snapshotTopic, deadLetterTopics)) {
            follow(follower, deadline);
            faulter.stop();
            faultThread.join();
            feed.stop();
            progress("producer stopped: " + feed.ledger().size() + " inputs acknowledged; waiting for their outcomes");
            drain(follower);
        }
        SoakAccount account;
        long unreadable;
        try (SoakReader reader = reader(snapshotTopic, deadLetterTopics)) {
            reader.readToEnd();
            // A HashMap, not Map.copyOf: positions' hash codes are near-consecutive and overlap across
            // partitions, and the immutable map's linear probing then took minutes for 360,000 of them.
            account = SoakAccount.of(new HashMap<>(feed.ledger()), faults.windows(), reader.snapshots(),
                    reader.deadLetters());
            unreadable = reader.unreadable();
        }
        List<String> notes = notes(faulter, unreadable);
        boolean passed = new SoakReport(options, account, faults.faults(), notes, BenchMain.machine())
                .write(resultsDir());
        keepWork = !passed;
        return passed ? 0 : 1;
    }

    private Map<String, String> startStack() throws Exception {
        progress("starting a local Kafka broker and schema registry in " + work);
        KafkaOptions broker = KafkaOptions.defaults().withSeparateController().withFastTransactionAbort();
        stack = LocalStack.start(work.resolve("stack"), LocalStackLayout.locate(), broker, false);
        proxy = TcpProxy.to(URI.create(stack.registry().url()).getPort());
        Map<String, String> settings = settings();
        stack.kafka().createTopics(Map.of(inputTopic(), PARTITIONS));
        Properties props = new Properties();
        props.putAll(settings);
        props.put(ArenaflowConfig.REGISTRY_URL, stack.registry().apicurioV2Url());
        ArenaflowSettings validated = ArenaflowSettings.validate(props,
                PluginCatalog.load(SoakMain.class.getClassLoader()));
        try (Admin admin = stack.kafka().admin()) {
            TopicPreparer.prepare(admin, validated);
        }
        SoakSchema.register(stack.registry().apicurioV2Url(), APP + ".snapshots." + SessionPlugin.NAME);
        return settings;
    }

    private Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("application.id", APP);
        s.put("bootstrap.servers", stack.kafka().bootstrapServers());
        s.put("processing.guarantee", options.guarantee());
        s.put("auto.offset.reset", "earliest");
        // A killed member is noticed after 6 s, and a killed producer's transaction times out after 10 s.
        s.put("session.timeout.ms", "6000");
        s.put("heartbeat.interval.ms", "1500");
        s.put("producer.transaction.timeout.ms", "10000");
        s.put(ArenaflowConfig.INPUT_TOPICS, inputTopic());
        s.put(ArenaflowConfig.PLUGINS, SessionPlugin.NAME);
        s.putAll(ArenaflowConfig.topicsPrefixedWith(APP + "."));
        s.put(ArenaflowConfig.REGISTRY_URL, "http://127.0.0.1:" + proxy.port() + "/apis/registry/v2");
        s.put(ArenaflowConfig.GRPC_PORT, "-1");
        s.put(ArenaflowConfig.HTTP_PORT, "-1");
        return s;
    }

    private static String inputTopic() {
        return APP + ".raw";
    }

    private SoakReader reader(String snapshotTopic, List<String> deadLetterTopics) {
        return new SoakReader(stack.kafka().bootstrapServers(), stack.registry().apicurioV2Url(), inputTopic(),
                snapshotTopic, deadLetterTopics);
    }

    /** Reads along until the deadline, printing counts every 10 s and restarting an instance that exited. */
    private void follow(SoakReader follower, long deadline) throws Exception {
        long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
        while (System.nanoTime() < deadline) {
            follower.poll();
            if (System.nanoTime() >= nextProgress) {
                nextProgress += PROGRESS_EVERY.toNanos();
                progress(counts(follower));
                for (SoakInstance instance : instances) {
                    String exited = instance.restartIfExited();
                    if (exited != null) {
                        progress(exited);
                    }
                }
            }
        }
    }

    /** Reads on until every acknowledged input has an outcome, or the counts stop growing, or 3 min pass. */
    private void drain(SoakReader follower) {
        long started = System.nanoTime();
        long lastGrowth = started;
        long seen = -1;
        while (System.nanoTime() - started < DRAIN_MAX.toNanos()
                && System.nanoTime() - lastGrowth < DRAIN_STALL.toNanos()) {
            long stop = System.nanoTime() + PROGRESS_EVERY.toNanos();
            while (System.nanoTime() < stop) {
                follower.poll();
            }
            long now = follower.snapshotCount() + follower.deadLetters().size();
            if (now != seen) {
                seen = now;
                lastGrowth = System.nanoTime();
            }
            long waiting = feed.ledger().keySet().stream().filter(p -> !follower.snapshots().containsKey(p)
                    && !follower.deadLetters().containsKey(p)).count();
            progress("draining: " + counts(follower) + ", inputs without an outcome " + waiting);
            if (waiting == 0) {
                return;
            }
        }
        progress("stopped waiting after " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
    }

    private String counts(SoakReader follower) {
        return String.format("%.0f s: sent %d, acknowledged %d, snapshots %d (inputs %d), dead letters %d, fault: %s",
                faults.elapsedS(), feed.sent(), feed.ledger().size(), follower.snapshotCount(),
                follower.snapshots().size(), follower.deadLetters().values().stream().mapToInt(Integer::intValue).sum(),
                faults.current());
    }

    private List<String> notes(SoakFaults faulter, long unreadable) {
        List<String> notes = new ArrayList<>();
        notes.add("broker: one local KRaft broker with its controller in a process of its own (only the broker"
                + " is killed; see KafkaOptions.withSeparateController) and transaction.abort.timed.out.transaction"
                + ".cleanup.interval.ms=1000; instances with producer.transaction.timeout.ms=10000,"
                + " session.timeout.ms=6000");
        int exits = instances.stream().mapToInt(SoakInstance::unexpectedExits).sum();
        notes.add("instance exits the soak did not cause (restarted): " + exits);
        if (feed.failure() != null) {
            notes.add("the producer failed, and stopped early: " + feed.failure());
        }
        if (faulter.failure() != null) {
            notes.add("the faults stopped early: " + faulter.failure());
        }
        if (unreadable > 0) {
            notes.add("records of no input (other input topic, or no origin headers): " + unreadable);
        }
        return notes;
    }

    private static Path resultsDir() {
        return Path.of(System.getProperty(LocalStackLayout.HOME_PROPERTY, "."), "bench", "results");
    }

    /** Stops the faults, the producer, the instances (SIGTERM), the proxy and the stack; once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (stack == null && Thread.currentThread() != mainThread) {
            // Stopped while the stack starts: LocalStack.start stops what it started when interrupted.
            mainThread.interrupt();
            joinQuietly(mainThread);
        }
        if (faultThread != null && faultThread.isAlive()) {
            faultThread.interrupt();
            joinQuietly(faultThread);
        }
        instances.forEach(SoakInstance::close);
        try {
            if (proxy != null) {
                proxy.close();
            }
        } catch (Exception e) {
            progress("closing the proxy: " + e);
        }
        if (stack != null) {
            stack.close();
        }
        if (keepWork) {
            progress("the instances' and servers' files are kept in " + work);
        } else {
            try {
                MoreFiles.deleteRecursively(work);
            } catch (java.io.IOException e) {
                progress("could not delete " + work + ": " + e);
            }
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(Duration.ofMinutes(1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
