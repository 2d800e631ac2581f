package dev.arenaflow.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * A snapshot topic in memory for unit tests: every consumer it makes (a {@link MockConsumer})
 * sees every record appended, before or after it was assigned, and its poll waits for records
 * instead of returning at once.
 */
final class FakeSnapshotLog {

    final String topic;
    private final int partitions;
    private final List<ConsumerRecord<byte[], byte[]>> log = new ArrayList<>();
    private final List<LogConsumer> consumers = new CopyOnWriteArrayList<>();
    private final long[] ends;
    private final long[] beginnings;

    FakeSnapshotLog(String topic, int partitions) {
        this.topic = topic;
        this.partitions = partitions;
        this.ends = new long[partitions];
        this.beginnings = new long[partitions];
    }

    synchronized Consumer<byte[], byte[]> consumer() {
        LogConsumer consumer = new LogConsumer();
        List<PartitionInfo> infos = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            infos.add(new PartitionInfo(topic, p, Node.noNode(), new Node[0], new Node[0]));
        }
        consumer.updatePartitions(topic, infos);
        consumer.updateBeginningOffsets(offsets(beginnings));
        consumer.updateEndOffsets(offsets(ends));
        consumers.add(consumer);
        return consumer;
    }

    /**
     * Appends a snapshot whose value is the text {@code value}; returns it. Consumers are told
     * outside this log's lock (a consumer being assigned takes its own lock, then this one); one
     * assigned meanwhile may get the record twice, which its position makes it skip.
     */
    ConsumerRecord<byte[], byte[]> append(int partition, String source, String value) {
        ConsumerRecord<byte[], byte[]> record;
        Map<TopicPartition, Long> newEnds;
        synchronized (this) {
            record = new ConsumerRecord<>(topic, partition, ends[partition]++,
                    source.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
            log.add(record);
            newEnds = offsets(ends);
        }
        for (LogConsumer consumer : consumers) {
            consumer.offer(record, newEnds);
        }
        return record;
    }

    /** As if retention deleted everything before this offset of the partition. */
    synchronized void deleteBefore(int partition, long offset) {
        beginnings[partition] = offset;
        consumers.forEach(c -> c.updateBeginningOffsets(offsets(beginnings)));
    }

    /** Consumers not closed yet. */
    long openConsumers() {
        return consumers.stream().filter(c -> !c.closed).count();
    }

    private Map<TopicPartition, Long> offsets(long[] values) {
        Map<TopicPartition, Long> map = new HashMap<>();
        for (int p = 0; p < values.length; p++) {
            map.put(new TopicPartition(topic, p), values[p]);
        }
        return map;
    }

    private final class LogConsumer extends MockConsumer<byte[], byte[]> {
        private volatile boolean closed;
        private boolean pending;

        LogConsumer() {
            super("none");
        }

        @Override
        public synchronized void assign(Collection<TopicPartition> assigned) {
            super.assign(assigned);
            synchronized (FakeSnapshotLog.this) {
                for (ConsumerRecord<byte[], byte[]> record : log) {
                    if (assigned.contains(new TopicPartition(record.topic(), record.partition()))) {
                        super.addRecord(record);
                        pending = true;
                    }
                }
            }
        }

        synchronized void offer(ConsumerRecord<byte[], byte[]> record, Map<TopicPartition, Long> newEnds) {
            if (closed) {
                return;
            }
            updateEndOffsets(newEnds);
            if (assignment().contains(new TopicPartition(record.topic(), record.partition()))) {
                addRecord(record);
                pending = true;
                notifyAll();
            }
        }

        @Override
        public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            if (!pending) {
                try {
                    wait(Math.min(timeout.toMillis(), 100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            pending = false;
            return super.poll(timeout);
        }

        @Override
        public void wakeup() {
            super.wakeup();
            synchronized (this) {
                notifyAll();
            }
        }

        @Override
        public synchronized void close() {
            closed = true;
            super.close();
        }
    }
}
