package dev.arenaflow.cli.plugins;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads compacted topics from their beginning to the end offsets they had when reading began, with
 * an assigned consumer: no group, nothing committed, unseen by the application. Records written
 * meanwhile are not waited for, so the read ends even while the topics are being written.
 */
public final class TopicReader {

    private static final Duration MAX_POLL = Duration.ofMillis(200);

    private TopicReader() {
    }

    /**
     * @param consumer an unassigned consumer of committed records; it is left assigned
     * @param topics the topics to read
     * @param timeout how long the whole read may take
     * @return each topic's contents, by topic name in the given order
     * @throws CommandFailure with exit status 1 if a topic cannot be read to its end in time
     */
    public static Map<String, TopicContents> readToEnd(Consumer<byte[], byte[]> consumer, List<String> topics,
                                                       Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, TopicContents> contents = new LinkedHashMap<>();
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<TopicPartition> found = partitionsOf(consumer, topic, timeout);
            contents.put(topic, found.isEmpty() ? TopicContents.missing(topic) : TopicContents.existing(topic));
            partitions.addAll(found);
        }
        if (!partitions.isEmpty()) {
            readAll(consumer, partitions, contents, deadline, timeout);
        }
        return contents;
    }

    private static List<TopicPartition> partitionsOf(Consumer<byte[], byte[]> consumer, String topic, Duration timeout) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        return infos == null ? List.of() : infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private static void readAll(Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
                                Map<String, TopicContents> contents, long deadline, Duration timeout) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> remaining = new HashMap<>(consumer.endOffsets(partitions));
        dropFinished(consumer, remaining);
        while (!remaining.isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw CommandFailure.failed("could not read " + remaining + " (partition=end offset) to the end within "
                        + timeout.toMillis() + " ms", null);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(MAX_POLL)) {
                contents.get(record.topic()).add(record);
            }
            dropFinished(consumer, remaining);
        }
    }

    private static void dropFinished(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> remaining) {
        remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
