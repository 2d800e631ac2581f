package dev.arenaflow.topology.testing;

import dev.arenaflow.record.RawRecordWriter;
import dev.arenaflow.schemas.SessionSnapshot;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowTopology;
import dev.arenaflow.topology.DeadLetterHeaders;
import dev.arenaflow.topology.PluginCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * arenaflow's topology in a TopologyTestDriver, with the test plugins on the class path and those
 * in {@code arenaflow.plugin.path}, if set: send records in, read snapshots and dead letters out.
 * The driver commits after every record.
 */
public final class ArenaflowDriver implements AutoCloseable {

    public static final String APP = "arenaflow-test";

    private final InMemoryRegistry registry = new InMemoryRegistry();
    private final io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    private final TopologyTestDriver driver;
    private final dev.arenaflow.topology.why.PendingMessages pending = new dev.arenaflow.topology.why.PendingMessages();
    private final TestInputTopic<byte[], byte[]> input;
    private long eventTime = 1_764_000_000_000L;
    private long wallClock = 1_764_000_000_000L;

    /**
     * @param plugins the {@code arenaflow.plugins} setting
     * @param keysAndValues other arenaflow settings on top of the test defaults, as key, value, key, value...
     * @return a driver with them
     */
    public static ArenaflowDriver forPlugins(String plugins, String... keysAndValues) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of(ArenaflowConfig.PLUGINS, plugins));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new ArenaflowDriver(settings);
    }

    /** @param settings arenaflow settings on top of the test defaults */
    public ArenaflowDriver(Map<String, String> settings) {
        this(settings, PluginCatalog.load(ArenaflowDriver.class.getClassLoader(),
                new ArenaflowConfig(settings).pluginPath()));
    }

    /**
     * @param settings arenaflow settings on top of the test defaults
     * @param catalog the plugins to select from
     */
    public ArenaflowDriver(Map<String, String> settings, PluginCatalog catalog) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // Tests lend as strictly as arenaflow can, so a plugin that keeps its loan fails here.
        props.put(ArenaflowConfig.LOAN_GUARD, "strict");
        props.putAll(settings);
        ArenaflowConfig config = new ArenaflowConfig(props);
        Properties streamsProperties = ArenaflowTopology.streamsProperties(props);
        streamsProperties.put(dev.arenaflow.topology.why.PendingMessages.PROPERTY, pending);
        driver = new TopologyTestDriver(ArenaflowTopology.build(config, catalog.select(config), registry.serializer(), meters),
                streamsProperties, java.time.Instant.ofEpochMilli(wallClock));
        input = driver.createInputTopic("raw-events", new ByteArraySerializer(), new ByteArraySerializer());
    }

    public void send(String source, long sequence, int type, byte... payload) {
        sendAt(eventTime++, source, sequence, type, payload);
    }

    /** Sends a record with the given event time. */
    public void sendAt(long eventTime, String source, long sequence, int type, byte... payload) {
        input.pipeInput(source.getBytes(StandardCharsets.UTF_8),
                RawRecordWriter.encode(type, eventTime, sequence, source, payload, true));
    }

    /** Sends a record carrying one header of the producer's own. */
    public void sendWithHeader(String header, String headerValue, String source, long sequence, int type,
                               byte... payload) {
        org.apache.kafka.common.header.internals.RecordHeaders headers =
                new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add(header, headerValue.getBytes(StandardCharsets.UTF_8));
        input.pipeInput(new TestRecord<>(source.getBytes(StandardCharsets.UTF_8),
                RawRecordWriter.encode(type, eventTime++, sequence, source, payload, true), headers));
    }

    /** Lets wall-clock time pass, which runs arenaflow's punctuation: completions, timeouts, retries. */
    public void advance(Duration duration) {
        wallClock += duration.toMillis();
        driver.advanceWallClockTime(duration);
    }

    public List<SessionSnapshot> snapshots(String plugin) {
        return snapshotsOf(plugin);
    }

    /** @return the snapshots of a plugin that emits a type other than {@link SessionSnapshot} */
    public <T> List<T> snapshotsOf(String plugin) {
        return driver.createOutputTopic("snapshots." + plugin, new ByteArrayDeserializer(),
                registry.<T>deserializer()).readValuesToList();
    }

    /** @return a plugin's snapshot records as written, bytes untouched */
    public List<TestRecord<byte[], byte[]>> snapshotRecords(String plugin) {
        return driver.createOutputTopic("snapshots." + plugin, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).readRecordsToList();
    }

    /** @return what a plugin's latest-snapshot store holds for a source, or null */
    public byte[] latest(String plugin, String source) {
        return driver.<String, byte[]>getKeyValueStore(ArenaflowConfig.latestStore(plugin)).get(source);
    }

    /** @return the names of the topology's state stores */
    public java.util.Set<String> stores() {
        return driver.getAllStateStores().keySet();
    }

    public List<TestRecord<byte[], byte[]>> deadLetters(String plugin) {
        return driver.createOutputTopic("arenaflow.dlq." + plugin, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).readRecordsToList();
    }

    /** @return the records written to a plugin's retry topic of one tier, e.g. {@code 1s} */
    public List<TestRecord<byte[], byte[]>> retries(String plugin, String tier) {
        return driver.createOutputTopic("arenaflow.retry." + plugin + "." + tier, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).readRecordsToList();
    }

    /** Writes a record straight into one of the topology's topics, e.g. a retry topic. */
    public void pipe(String topic, TestRecord<byte[], byte[]> record) {
        driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer()).pipeInput(record);
    }

    /**
     * Asks every task "why is this source not done?", as the API does, and lets the wall clock run
     * one punctuation so that the tasks answer.
     *
     * @return what the tasks that hold something of the source answered
     */
    public List<dev.arenaflow.topology.why.SourceReport> why(String plugin, String source) {
        var answers = pending.ask(plugin, source);
        advance(java.time.Duration.ofMillis(20));
        return answers.stream().map(f -> f.getNow(null)).map(a -> {
            if (a == null) {
                throw new AssertionError("a task did not answer within a punctuation");
            }
            return a;
        }).flatMap(java.util.Optional::stream).toList();
    }

    /** Writes a control record for a plugin, as {@code bin/arenaflow plugins} does; null is a tombstone. */
    public void control(String plugin, String json) {
        driver.createInputTopic("arenaflow.control", new ByteArraySerializer(), new ByteArraySerializer())
                .pipeInput(plugin.getBytes(StandardCharsets.UTF_8),
                        json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the control records the application wrote (a tripped circuit breaker), as text */
    public List<String> controlWrites() {
        return driver.createOutputTopic("arenaflow.control", new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readValuesToList().stream().map(v -> new String(v, StandardCharsets.UTF_8)).toList();
    }

    /** @return the status records the application wrote */
    public List<dev.arenaflow.topology.control.PluginStatus> statuses() {
        return driver.createOutputTopic("arenaflow.status", new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readValuesToList().stream().map(dev.arenaflow.topology.control.PluginStatus::fromJson).toList();
    }

    /** @return the time the driver's wall clock shows */
    public long now() {
        return wallClock;
    }

    public List<TestRecord<byte[], byte[]>> changelog(String store) {
        return driver.createOutputTopic(APP + "-" + store + "-changelog", new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).readRecordsToList();
    }

    /**
     * @param name one of {@link dev.arenaflow.topology.PluginMeterNames}, a counter or gauge
     * @return its value, summed over tasks, plugins and other tags
     */
    public double metric(String name) {
        return meters.find(name).meters().stream()
                .mapToDouble(m -> m.measure().iterator().next().getValue())
                .filter(v -> !Double.isNaN(v)).sum();
    }

    /** @return the largest value a timer of {@link dev.arenaflow.topology.PluginMeterNames} recorded, in ms */
    public double maxMillis(String name) {
        return meters.find(name).timers().stream()
                .mapToDouble(t -> t.max(java.util.concurrent.TimeUnit.MILLISECONDS)).max().orElse(Double.NaN);
    }

    /** @return the registry the plugins' meters are in */
    public io.micrometer.core.instrument.MeterRegistry meters() {
        return meters;
    }

    public static String header(TestRecord<byte[], byte[]> record, String name) {
        return DeadLetterHeaders.text(record.headers(), name);
    }

    @Override
    public void close() {
        driver.close();
    }
}
