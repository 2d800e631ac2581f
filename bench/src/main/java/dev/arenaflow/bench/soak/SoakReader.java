package dev.arenaflow.bench.soak;

import dev.arenaflow.schemas.SessionSnapshot;
import dev.arenaflow.schemas.SnapshotMeta;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.DeadLetterHeaders;
import dev.arenaflow.topology.SnapshotSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The soak's own reader: a {@code read_committed} consumer of the snapshot topic and the dead-letter
 * topics that counts their records per input position (the snapshot's {@code meta}, the dead
 * letter's origin headers). Values are decoded here, not by arenaflow, against the registry itself.
 *
 * <p>Threading notes: one thread at a time.
 */
final class SoakReader implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<SessionSnapshot> snapshots;
    private final String snapshotTopic;
    private final String inputTopic;
    private final Map<InputPosition, Integer> bySnapshot = new HashMap<>();
    private final Map<InputPosition, Integer> byDeadLetter = new HashMap<>();
    private final List<TopicPartition> partitions = new ArrayList<>();
    private long unreadable;

    /**
     * @param deadLetterTopics the plugin's and the decoder's dead-letter topics
     */
    SoakReader(String bootstrap, String registryUrl, String inputTopic, String snapshotTopic,
            List<String> deadLetterTopics) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.snapshots = SnapshotSerdes.deserializer(Map.of(ArenaflowConfig.REGISTRY_URL, registryUrl), true);
        this.snapshotTopic = snapshotTopic;
        this.inputTopic = inputTopic;
        List<String> topics = new ArrayList<>(deadLetterTopics);
        topics.add(snapshotTopic);
        for (String topic : topics) {
            consumer.partitionsFor(topic, WAIT).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what is there now, for up to one poll. */
    void poll() {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
            if (r.topic().equals(snapshotTopic)) {
                countSnapshot(r);
            } else {
                countDeadLetter(r);
            }
        }
    }

    /** Reads every topic to its last stable offset as it is now. */
    void readToEnd() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, WAIT);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p, WAIT) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read to " + end + " within " + WAIT);
            }
            poll();
        }
    }

    Map<InputPosition, Integer> snapshots() {
        return bySnapshot;
    }

    Map<InputPosition, Integer> deadLetters() {
        return byDeadLetter;
    }

    /** @return snapshots read, duplicates included */
    long snapshotCount() {
        return bySnapshot.values().stream().mapToLong(Integer::longValue).sum();
    }

    /** @return snapshots of another input topic and dead letters without an origin */
    long unreadable() {
        return unreadable;
    }

    private void countSnapshot(ConsumerRecord<byte[], byte[]> r) {
        SnapshotMeta meta = snapshots.deserialize(r.topic(), r.headers(), r.value()).getMeta();
        if (!meta.getInputTopic().equals(inputTopic)) {
            unreadable++;
            return;
        }
        bySnapshot.merge(new InputPosition(meta.getInputPartition(), meta.getInputOffset()), 1, Integer::sum);
    }

    private void countDeadLetter(ConsumerRecord<byte[], byte[]> r) {
        Long partition = DeadLetterHeaders.number(r.headers(), DeadLetterHeaders.ORIGIN_PARTITION);
        Long offset = DeadLetterHeaders.number(r.headers(), DeadLetterHeaders.ORIGIN_OFFSET);
        if (partition == null || offset == null) {
            unreadable++;
            return;
        }
        byDeadLetter.merge(new InputPosition(partition.intValue(), offset), 1, Integer::sum);
    }

    @Override
    public void close() {
        consumer.close();
        snapshots.close();
    }
}
