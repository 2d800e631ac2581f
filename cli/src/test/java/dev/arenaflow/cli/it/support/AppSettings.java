package dev.arenaflow.cli.it.support;

import dev.arenaflow.local.LocalStack;
import dev.arenaflow.schemas.SnapshotMeta;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.PluginLimits;
import dev.arenaflow.topology.SnapshotSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;

/** The settings of a {@link CrashApp} instance running the {@code slow} plugin, and topic helpers. */
public final class AppSettings {

    /** In-flight bound of the slow plugin per task: large, so a crash finds many pending entries. */
    public static final int MAX_IN_FLIGHT = 500;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private AppSettings() {
    }

    /**
     * @param stack the broker and registry
     * @param applicationId the Kafka Streams application id; topics are named after it
     * @param guarantee {@code exactly_once_v2} or {@code at_least_once}
     * @param stateDir the instance's state folder
     * @return settings, in a mutable map
     */
    public static Map<String, String> of(LocalStack stack, String applicationId, String guarantee, Path stateDir) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        s.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        s.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        s.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        s.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "500");
        s.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A dead member is noticed after 6 s (the broker's minimum) instead of 45 s.
        s.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        s.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1500");
        // A killed instance's open transaction blocks read_committed readers until it times out.
        s.put(StreamsConfig.producerPrefix("transaction.timeout.ms"), "5000");
        s.put(ArenaflowConfig.INPUT_TOPICS, inputTopic(applicationId));
        s.put(ArenaflowConfig.PLUGINS, SlowPlugin.NAME);
        s.putAll(ArenaflowConfig.topicsPrefixedWith(applicationId + "."));
        s.put(ArenaflowConfig.REGISTRY_URL, stack.registry().apicurioV2Url());
        s.put(ArenaflowConfig.PLUGIN_PREFIX + SlowPlugin.NAME + "." + PluginLimits.MAX_IN_FLIGHT,
                Integer.toString(MAX_IN_FLIGHT));
        return s;
    }

    public static String inputTopic(String applicationId) {
        return applicationId + ".raw";
    }

    public static String snapshotTopic(String applicationId) {
        return applicationId + ".snapshots." + SlowPlugin.NAME;
    }

    public static String deadLetterTopic(String applicationId) {
        return applicationId + ".dlq." + SlowPlugin.NAME;
    }

    /** Registers the snapshot schema up front, so that instances starting together do not race to. */
    public static void registerSnapshotSchema(LocalStack stack, String applicationId) {
        try (Serializer<SpecificRecord> serializer = SnapshotSerdes.serializer(
                Map.of(ArenaflowConfig.REGISTRY_URL, stack.registry().apicurioV2Url()))) {
            SnapshotMeta meta = new SnapshotMeta(SlowPlugin.NAME, "none", 0L, 0, Instant.EPOCH, "none", 0, 0L, 1);
            serializer.serialize(snapshotTopic(applicationId), SlowPlugin.snapshot(meta, 0));
        }
    }

    /** @return records in a topic, counted by offsets; transaction markers would count too */
    public static long recordsIn(LocalStack stack, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, WAIT).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, WAIT);
            return consumer.endOffsets(partitions, WAIT).entrySet().stream()
                    .mapToLong(e -> e.getValue() - begin.get(e.getKey())).sum();
        }
    }
}
