package dev.arenaflow.bench.async;

import dev.arenaflow.local.LocalStack;
import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.PluginCatalog;
import dev.arenaflow.topology.PluginLimits;
import dev.arenaflow.topology.SnapshotSerdes;
import dev.arenaflow.topology.TopicPreparer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One arenaflow instance in this JVM running the {@link DelayPlugin} on a pre-produced input,
 * measured by an {@link OutputCounter} on its snapshot topic. Kafka Streams' own defaults stand
 * (one stream thread, its commit interval), as in the passthrough it is compared with.
 */
public final class ArenaflowRun {

    private static final Duration RUNNING = Duration.ofSeconds(60);

    private final LocalStack stack;
    private final RunTopics topics;
    private final Map<String, String> settings;

    private ArenaflowRun(LocalStack stack, RunTopics topics, Map<String, String> settings) {
        this.stack = stack;
        this.topics = topics;
        this.settings = settings;
    }

    /**
     * @param stack the broker and registry
     * @param topics the run's names
     * @param input the input topic
     * @param stateDir the instance's state folder
     * @param guarantee {@code at_least_once} or {@code exactly_once_v2}
     * @return a run of the delay plugin with default limits; change them with {@link #plugin}
     */
    public static ArenaflowRun of(LocalStack stack, RunTopics topics, String input, Path stateDir, String guarantee) {
        Map<String, String> s = new LinkedHashMap<>();
        topics.into(s);
        s.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        s.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        s.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        s.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        s.put(ArenaflowConfig.INPUT_TOPICS, input);
        s.put(ArenaflowConfig.PLUGINS, DelayPlugin.NAME);
        s.put(ArenaflowConfig.REGISTRY_URL, stack.registry().apicurioV2Url());
        return new ArenaflowRun(stack, topics, s);
    }

    /** Sets {@code plugin.delay.<key>}, e.g. {@link PluginLimits#MAX_IN_FLIGHT} or {@link DelayPlugin#BLOCKING}. */
    public ArenaflowRun plugin(String key, Object value) {
        settings.put(ArenaflowConfig.PLUGIN_PREFIX + DelayPlugin.NAME + "." + key, String.valueOf(value));
        return this;
    }

    /** Sets any other setting of the run. */
    public ArenaflowRun set(String key, Object value) {
        settings.put(key, String.valueOf(value));
        return this;
    }

    /** @return a copy of the run's settings, e.g. to run it in another JVM */
    public Map<String, String> settings() {
        return new LinkedHashMap<>(settings);
    }

    /**
     * @param records outputs to wait for: one snapshot per input record
     * @param partitions of the input, and so of the snapshot topic, created here first
     * @param timeout how long the run may take
     * @return the timing from {@code start()} until all snapshots were seen
     */
    public Throughput untilAll(long records, int partitions, Duration timeout) throws Exception {
        try (OutputCounter out = counter(partitions); ArenaflowApplication app = prepareAndCreate()) {
            long started = System.nanoTime();
            app.start();
            long ended = out.awaitCount(records, timeout);
            return new Throughput(records, started, out.firstNanos(), ended);
        }
    }

    /**
     * For runs too slow to finish their input: the rate over a fixed window that opens with the
     * first snapshot, so start-up is left out.
     *
     * @return snapshots per second within the window
     */
    public double overWindow(Duration window, int partitions) throws Exception {
        try (OutputCounter out = counter(partitions); ArenaflowApplication app = prepareAndCreate()) {
            app.start();
            if (!app.awaitRunning(RUNNING)) {
                throw new IllegalStateException(topics.label() + " did not reach RUNNING within " + RUNNING);
            }
            out.awaitCount(1, RUNNING);
            long opened = System.nanoTime();
            long first = out.count();
            while (System.nanoTime() - opened < window.toNanos()) {
                out.poll();
            }
            return (out.count() - first) * 1e9 / (System.nanoTime() - opened);
        }
    }

    private OutputCounter counter(int partitions) throws InterruptedException {
        String topic = topics.snapshots(DelayPlugin.NAME);
        stack.kafka().createTopics(Map.of(topic, partitions));
        return new OutputCounter(stack.kafka().bootstrapServers(), topic);
    }

    /**
     * Creates the run's topics, as a deployment would have them before a timed start, and waits
     * until the broker serves the control topic's metadata: Kafka Streams' global thread fails at
     * start ("no partitions available for topic ...control") if it asks in the moment between the
     * topic's creation and its metadata reaching the broker, which {@code start()} leaves open.
     *
     * @return the validated settings
     */
    public ArenaflowSettings prepareTopics() throws Exception {
        ArenaflowSettings validated = ArenaflowSettings.validate(properties(),
                PluginCatalog.load(ArenaflowRun.class.getClassLoader()));
        try (Admin admin = stack.kafka().admin()) {
            TopicPreparer.prepare(admin, validated);
            awaitMetadata(admin, validated.config().controlTopic());
        }
        return validated;
    }

    private ArenaflowApplication prepareAndCreate() throws Exception {
        return ArenaflowApplication.create(prepareTopics(), SnapshotSerdes.serializer(properties()));
    }

    private Properties properties() {
        Properties props = new Properties();
        props.putAll(settings);
        return props;
    }

    private static void awaitMetadata(Admin admin, String topic) throws InterruptedException {
        long deadline = System.nanoTime() + RUNNING.toNanos();
        while (true) {
            try {
                if (!admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().isEmpty()) {
                    return;
                }
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no metadata for " + topic + " within " + RUNNING, e.getCause());
                }
            }
            Thread.sleep(20);
        }
    }
}
