package dev.arenaflow.topology;

import dev.arenaflow.plugin.internal.LoanGuard;
import dev.arenaflow.topology.arena.ArenaStoreBuilder;
import dev.arenaflow.topology.internal.ControlStoreUpdater;
import dev.arenaflow.topology.internal.DecodeDeadLetterHandler;
import dev.arenaflow.topology.internal.PluginNodes;
import dev.arenaflow.topology.internal.PluginProcessor;
import dev.arenaflow.topology.internal.RawRecordDeserializer;
import dev.arenaflow.topology.internal.RetrySink;
import dev.arenaflow.topology.internal.RouteProcessor;
import dev.arenaflow.topology.latest.LatestSnapshotWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds arenaflow's Kafka Streams topology:
 *
 * <pre>
 * input topics -> decode (deserializer; malformed -> decode dead-letter topic)
 *              -> route (by message type)
 *              -> plugin-P (arena-P, state-P) -> snapshots-P sink | retry-P sink | dlq-P sink
 * retry topics of P -> retries-P -> plugin-P
 * control topic -> global store arenaflow-control, read by every plugin-P; plugin-P -> control | status sinks
 * snapshots-P topic -> latest-P store (only while the API layer is on)
 * </pre>
 *
 * A plugin's retry topics are sources of the same sub-topology as the input topics, so partition
 * p of a retry topic belongs to the task of input partition p, with that task's arena and state.
 */
public final class ArenaflowTopology {

    /** The source node: values are validated as Raw Record v1 by its deserializer. */
    public static final String DECODE = "decode";
    /** The node that forwards each record to the plugins accepting its type. */
    public static final String ROUTE = "route";

    private ArenaflowTopology() {
    }

    /**
     * @param config arenaflow's configuration
     * @param plugins the plugins to run, from {@link PluginCatalog#select}
     * @param snapshotSerializer serializes every plugin's snapshots; shared by all sinks and threads
     * @return the topology
     */
    public static Topology build(ArenaflowConfig config, List<PluginSpec> plugins,
                                 Serializer<SpecificRecord> snapshotSerializer) {
        return build(config, plugins, snapshotSerializer, new SimpleMeterRegistry());
    }

    /**
     * @param config arenaflow's configuration
     * @param plugins the plugins to run, from {@link PluginCatalog#select}
     * @param snapshotSerializer serializes every plugin's snapshots; shared by all sinks and threads
     * @param meters where each task registers its plugins' meters ({@link PluginMeterNames})
     * @return the topology
     */
    public static Topology build(ArenaflowConfig config, List<PluginSpec> plugins,
                                 Serializer<SpecificRecord> snapshotSerializer, MeterRegistry meters) {
        return build(config, plugins, snapshotSerializer, meters, deadLetterLimit(config.originals()));
    }

    /**
     * @param config arenaflow's configuration
     * @param plugins the plugins to run, from {@link PluginCatalog#select}
     * @param snapshotSerializer serializes every plugin's snapshots; shared by all sinks and threads
     * @param meters where each task registers its plugins' meters ({@link PluginMeterNames})
     * @param deadLetterLimit the largest dead letter sent with its value; may be lowered until the application starts
     * @return the topology
     */
    public static Topology build(ArenaflowConfig config, List<PluginSpec> plugins,
                                 Serializer<SpecificRecord> snapshotSerializer, MeterRegistry meters,
                                 DeadLetterLimit deadLetterLimit) {
        // Topology's no-argument constructor builds a StreamsConfig of defaults, which warns about them.
        Properties props = new Properties();
        props.putAll(config.originals());
        StreamsConfig streams = new StreamsConfig(streamsProperties(props));
        Topology topology = new Topology(new TopologyConfig(streams));
        long maxBlockMs = maxBlockMs(streams);
        topology.addSource(DECODE, new ByteArrayDeserializer(), new RawRecordDeserializer(config.maxPayloadBytes()),
                config.inputTopics().toArray(String[]::new));
        List<PluginNodes> nodes = plugins.stream().map(p -> nodesOf(config, p, deadLetterLimit)).toList();
        topology.addProcessor(ROUTE, () -> new RouteProcessor(plugins, nodes.stream().map(PluginNodes::processor).toList()),
                DECODE);
        for (int i = 0; i < plugins.size(); i++) {
            addPlugin(topology, config, plugins.get(i), nodes.get(i), snapshotSerializer, maxBlockMs, meters);
        }
        addControl(topology, config, nodes.stream().map(PluginNodes::processor).toArray(String[]::new));
        if (config.apiEnabled()) {
            plugins.forEach(p -> addLatest(topology, config, p.name()));
        }
        return topology;
    }

    /**
     * Every instance reads the whole control topic into a global store, so a control record
     * reaches every task within moments, without a rebalance; plugins write to it (a tripped
     * circuit breaker) and to the status topic through shared sinks.
     */
    private static void addControl(Topology topology, ArenaflowConfig config, String[] pluginProcessors) {
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PluginNodes.CONTROL_STORE),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                "control-source", new StringDeserializer(), new ByteArrayDeserializer(), config.controlTopic(),
                "control-store", ControlStoreUpdater::new);
        topology.addSink(PluginNodes.CONTROL_SINK, config.controlTopic(), new ByteArraySerializer(),
                new ByteArraySerializer(), pluginProcessors);
        topology.addSink(PluginNodes.STATUS_SINK, config.statusTopic(), new ByteArraySerializer(),
                new ByteArraySerializer(), pluginProcessors);
    }

    /**
     * The API layer answers "latest snapshot of a source" from a store per plugin, filled from the
     * plugin's snapshot topic in a sub-topology of its own (its tasks follow that topic's
     * partitions). Cached like the DSL's tables: a source updated many times within a commit
     * interval is written once to RocksDB and the changelog.
     */
    private static void addLatest(Topology topology, ArenaflowConfig config, String plugin) {
        String store = ArenaflowConfig.latestStore(plugin);
        topology.addSource("latest-source-" + plugin, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                config.snapshotTopic(plugin));
        topology.addProcessor(store + "-writer", () -> new LatestSnapshotWriter(store), "latest-source-" + plugin);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(),
                Serdes.ByteArray()).withCachingEnabled(), store + "-writer");
    }

    private static PluginNodes nodesOf(ArenaflowConfig config, PluginSpec plugin, DeadLetterLimit deadLetterLimit) {
        Map<Duration, String> retryTopics = new LinkedHashMap<>();
        for (Duration tier : plugin.limits().retry().tiers()) {
            retryTopics.put(tier, config.retryTopic(plugin.name(), tier));
        }
        return PluginNodes.of(plugin.name(), retryTopics, java.util.Set.copyOf(config.inputTopics()),
                config.errorMessageMaxChars(), deadLetterLimit);
    }

    /**
     * The Kafka Streams settings arenaflow needs, on top of the user's: the handler that sends
     * malformed records to the decode dead-letter topic, a default {@code poll.ms} no longer
     * than arenaflow's punctuation interval, so retries start on time when input is idle, and a
     * default {@code max.task.idle.ms} of -1: a task does not wait on its empty retry partitions.
     *
     * @param properties the user's Kafka Streams and arenaflow properties; not modified
     * @return a copy with arenaflow's settings added
     */
    @SuppressWarnings("deprecation") // the global-handler switch is deprecated only because 5.0 makes it the default
    public static Properties streamsProperties(Properties properties) {
        Properties merged = new Properties();
        merged.putAll(properties);
        merged.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DecodeDeadLetterHandler.class.getName());
        // Opts in early to Kafka 5.0's default: the control topic's global store gets the same handler.
        merged.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        // An idle stream thread blocks in poll() this long, delaying the punctuation that starts due retries.
        merged.putIfAbsent(StreamsConfig.POLL_MS_CONFIG, Long.toString(PluginProcessor.POLL_INTERVAL.toMillis()));
        // A task reads its input partition and its plugins' retry partitions, which are almost always empty.
        // Waiting on those (the default, 0) buys timestamp order across them, which arenaflow does not use:
        // a retry waits in the arena until its not-before time, and in ordered mode the failed message keeps
        // its source's place there. And Kafka Streams 4.4 then formats a log line per empty partition on
        // every record processed (PartitionGroup.readyToProcess), even with trace logging off.
        merged.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1");
        // A dead letter is an input record plus headers, and an input topic may allow more than the producer's
        // 1 MiB default; the topics arenaflow creates for dead letters and retries allow as much (TopicPreparer).
        merged.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                Integer.toString(DEFAULT_MAX_REQUEST_SIZE));
        return merged;
    }

    /** The producer's {@code max.request.size} unless set: 16 MiB. */
    public static final int DEFAULT_MAX_REQUEST_SIZE = 16 * 1024 * 1024;

    /**
     * @param settings the application's properties
     * @return the dead-letter limit they give: the producer's {@code max.request.size}
     */
    public static DeadLetterLimit deadLetterLimit(Map<?, ?> settings) {
        Object set = settings.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        if (set == null) {
            set = settings.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        }
        return new DeadLetterLimit(set == null ? DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(set.toString().trim()));
    }

    /**
     * Half of the shortest time after which Kafka gives up on a busy stream thread: the consumer's
     * {@code max.poll.interval.ms} and, under exactly-once, the producer's transaction timeout.
     */
    static long maxBlockMs(StreamsConfig streams) {
        long limit = millis(streams.getMainConsumerConfigs("arenaflow", "arenaflow", 0),
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, ConsumerConfig.configDef().defaultValues());
        if (!StreamsConfig.AT_LEAST_ONCE.equals(streams.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))) {
            limit = Math.min(limit, millis(streams.getProducerConfigs("arenaflow"),
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, ProducerConfig.configDef().defaultValues()));
        }
        return limit / 2;
    }

    /** Streams' client configs hold only what differs from the client's own defaults. */
    private static long millis(Map<String, Object> configs, String key, Map<String, Object> defaults) {
        return Long.parseLong(String.valueOf(configs.getOrDefault(key, defaults.get(key))));
    }

    private static void addPlugin(Topology topology, ArenaflowConfig config, PluginSpec plugin, PluginNodes nodes,
                                  Serializer<SpecificRecord> snapshotSerializer, long maxBlockMs,
                                  MeterRegistry meters) {
        int maxPayload = config.maxPayloadBytes();
        LoanGuard loanGuard = config.loanGuard();
        // Retry values are not decoded at the source: a malformed one is the plugin's dead letter, not the decoder's.
        topology.addSource(nodes.retrySource(), new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                nodes.retryTopicNames().stream().sorted().toArray(String[]::new));
        topology.addProcessor(nodes.processor(), () -> new PluginProcessor(plugin, nodes, maxPayload, loanGuard, maxBlockMs, meters),
                ROUTE, nodes.retrySource());
        topology.addStateStore(ArenaStoreBuilder.arena(Stores.persistentKeyValueStore(nodes.arenaStore())),
                nodes.processor());
        if (plugin.keepsState()) {
            // Cached as the DSL's stores are: a plugin that updates one value per source on every record
            // (session) then writes each key once per commit interval to RocksDB and the changelog, not once
            // per record; the bench saw 66 changelog bytes per input record fall to under 1. Reads see the
            // cache. Written before the offsets commit, as before, and in the same transaction under EOS.
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(nodes.stateStore()),
                    Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled(), nodes.processor());
        }
        topology.addSink(nodes.snapshotSink(), config.snapshotTopic(plugin.name()), new ByteArraySerializer(),
                snapshotSerializer, nodes.processor());
        topology.addSink(nodes.deadLetterSink(), config.deadLetterTopic(plugin.name()), new ByteArraySerializer(),
                new ByteArraySerializer(), nodes.processor());
        topology.addSink(nodes.retrySink(), RetrySink.topics(), new ByteArraySerializer(), RetrySink.serializer(),
                RetrySink.partitioner(), nodes.processor());
    }
}
