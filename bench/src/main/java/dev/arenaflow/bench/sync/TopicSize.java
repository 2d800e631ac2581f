package dev.arenaflow.bench.sync;

import dev.arenaflow.local.LocalKafka;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What was written to a topic: its records and their key and value bytes, read back with
 * read_uncommitted so aborted writes count too, and the size of its log on the broker's disk
 * (batch headers and transaction markers included).
 *
 * @param records records in the topic
 * @param keyValueBytes sum of the records' key and value sizes
 * @param logBytes bytes of the topic's log segments
 */
record TopicSize(long records, long keyValueBytes, long logBytes) {

    /** @return the topic's size; call it once nothing writes to the topic any more */
    static TopicSize of(LocalKafka kafka, String topic) throws InterruptedException, ExecutionException {
        long[] read = read(kafka, topic);
        return new TopicSize(read[0], read[1], logBytes(kafka, topic));
    }

    private static long[] read(LocalKafka kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                ConsumerConfig.CLIENT_ID_CONFIG, "bench-topic-size"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long records = 0;
            long bytes = 0;
            while (!reached(consumer, ends)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    records++;
                    bytes += Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
                }
            }
            return new long[] {records, bytes};
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static long logBytes(LocalKafka kafka, String topic) throws InterruptedException, ExecutionException {
        try (Admin admin = kafka.admin()) {
            Collection<Node> nodes = admin.describeCluster().nodes().get();
            Map<Integer, Map<String, LogDirDescription>> dirs = admin.describeLogDirs(
                    nodes.stream().map(Node::id).toList()).allDescriptions().get();
            return dirs.values().stream().flatMap(byDir -> byDir.values().stream())
                    .flatMap(dir -> dir.replicaInfos().entrySet().stream())
                    .filter(e -> e.getKey().topic().equals(topic))
                    .mapToLong(e -> e.getValue().size()).sum();
        }
    }

    /** @return the sum of the topics' end offsets: zero when nothing was ever written to them */
    static long endOffsets(LocalKafka kafka, List<String> topics) throws InterruptedException, ExecutionException {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((name, d) -> d.partitions()
                    .forEach(p -> latest.put(new TopicPartition(name, p.partition()),
                            OffsetSpec.latest())));
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
        }
    }
}
