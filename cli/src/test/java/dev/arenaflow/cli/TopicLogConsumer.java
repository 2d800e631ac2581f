package dev.arenaflow.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * A {@link MockConsumer} over topics whose records are known up front, so that it can also answer
 * {@code offsetsForTimes} (which kafka-clients' mock does not implement) the way a broker does:
 * the first offset whose timestamp is at or after the time asked for, or null.
 * Each partition's beginning offset is 0, and its end offset is one past its last record unless
 * {@link #endOffset} says otherwise, to stand for records written after a reader took the end offsets.
 */
final class TopicLogConsumer extends MockConsumer<byte[], byte[]> {

    private final List<ConsumerRecord<byte[], byte[]>> log = new ArrayList<>();
    private final Map<TopicPartition, Long> ends = new HashMap<>();

    TopicLogConsumer() {
        super("earliest");
    }

    /** Declares a topic; its records come with the first poll after they are assigned. */
    TopicLogConsumer topic(String topic, int partitions) {
        Node node = new Node(0, "localhost", 9092);
        updatePartitions(topic, IntStream.range(0, partitions)
                .mapToObj(p -> new PartitionInfo(topic, p, node, new Node[] {node}, new Node[] {node})).toList());
        Map<TopicPartition, Long> zeros = new HashMap<>();
        IntStream.range(0, partitions).forEach(p -> zeros.put(new TopicPartition(topic, p), 0L));
        updateBeginningOffsets(zeros);
        zeros.forEach(ends::putIfAbsent);
        updateEndOffsets(ends);
        return this;
    }

    TopicLogConsumer append(ConsumerRecord<byte[], byte[]> record) {
        log.add(record);
        ends.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
        updateEndOffsets(ends);
        return this;
    }

    TopicLogConsumer endOffset(String topic, int partition, long end) {
        ends.put(new TopicPartition(topic, partition), end);
        updateEndOffsets(ends);
        return this;
    }

    /** Hands out the log on the first poll, to the partitions assigned by then. */
    TopicLogConsumer deliverOnFirstPoll() {
        schedulePollTask(() -> log.stream()
                .filter(r -> assignment().contains(new TopicPartition(r.topic(), r.partition())))
                .forEach(this::addRecord));
        return this;
    }

    @Override
    public synchronized Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> times) {
        Map<TopicPartition, OffsetAndTimestamp> found = new HashMap<>();
        times.forEach((partition, time) -> found.put(partition, log.stream()
                .filter(r -> r.topic().equals(partition.topic()) && r.partition() == partition.partition())
                .filter(r -> r.timestamp() >= time)
                .min(Comparator.comparingLong(ConsumerRecord::offset))
                .map(r -> new OffsetAndTimestamp(r.offset(), r.timestamp()))
                .orElse(null)));
        return found;
    }
}
