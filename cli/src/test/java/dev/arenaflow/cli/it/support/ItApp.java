package dev.arenaflow.cli.it.support;

import dev.arenaflow.local.LocalStack;
import dev.arenaflow.topology.ArenaflowConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * An application of an integration test: its settings, with every topic it uses named after it
 * ({@code <app>.raw}, {@code <app>.snapshots.P}, {@code <app>.dlq.P}, {@code <app>.retry.P.<tier>},
 * {@code <app>.control}, ...), so applications sharing a broker never see each other's records;
 * and reading what it wrote.
 */
public final class ItApp {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private ItApp() {
    }

    /**
     * @param stack the broker and registry
     * @param app the application id, and the prefix of its topics
     * @param guarantee {@code at_least_once} or {@code exactly_once_v2}
     * @param stateDir its state folder
     * @return its settings: commit every 200 ms, input from the earliest offset
     */
    public static Properties settings(LocalStack stack, String app, String guarantee, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ArenaflowConfig.INPUT_TOPICS, app + ".raw");
        props.putAll(ArenaflowConfig.topicsPrefixedWith(app + "."));
        props.put(ArenaflowConfig.REGISTRY_URL, stack.registry().apicurioV2Url());
        return props;
    }

    /**
     * Reads a topic from the beginning as a read_committed consumer until it has the expected
     * number of records or 90 s have passed, then polls once more to see whether there are more.
     */
    public static <V> List<ConsumerRecord<byte[], V>> readAll(LocalStack stack, String topic, int expected,
                                                             Deserializer<V> values) {
        try (KafkaConsumer<byte[], V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, WAIT).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], V>> records = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
            return records;
        }
    }
}
