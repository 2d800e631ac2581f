package dev.arenaflow.cli.it.support;

import dev.arenaflow.schemas.SessionSnapshot;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.SnapshotSerdes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a snapshot topic with a {@code read_committed} consumer into a {@link SnapshotTally}:
 * either continuously on a thread of its own, to follow progress, or once to the end.
 *
 * <p>Threading notes: the consumer is used by the watcher thread only; {@link #close} wakes it
 * from any thread.
 */
public final class SnapshotWatcher implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final KafkaConsumer<byte[], SessionSnapshot> consumer;
    private final SnapshotTally tally;
    private final Thread thread;
    private volatile Throwable failure;

    private SnapshotWatcher(KafkaConsumer<byte[], SessionSnapshot> consumer, SnapshotTally tally, String topic) {
        this.consumer = consumer;
        this.tally = tally;
        this.thread = new Thread(this::run, "snapshot-watcher-" + topic);
        thread.setDaemon(true);
    }

    /** Follows the topic from its beginning until closed. */
    public static SnapshotWatcher follow(String bootstrapServers, String registryUrl, String topic, SnapshotTally tally) {
        KafkaConsumer<byte[], SessionSnapshot> consumer = consumer(bootstrapServers, registryUrl);
        assignFromBeginning(consumer, topic);
        SnapshotWatcher watcher = new SnapshotWatcher(consumer, tally, topic);
        watcher.thread.start();
        return watcher;
    }

    /**
     * Reads the topic from its beginning to its last stable offset, as it is now.
     *
     * @return the records read, counted into {@code tally}
     */
    public static SnapshotTally readAll(String bootstrapServers, String registryUrl, String topic, SnapshotTally tally) {
        try (KafkaConsumer<byte[], SessionSnapshot> consumer = consumer(bootstrapServers, registryUrl)) {
            List<TopicPartition> partitions = assignFromBeginning(consumer, topic);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, WAIT);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to " + end + " within " + WAIT);
                }
                consumer.poll(POLL).forEach(tally::add);
            }
            return tally;
        }
    }

    /** Blocks until the condition holds; fails after the timeout, or if the watcher failed. */
    public void await(BooleanSupplier condition, Duration timeout, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (failure != null) {
                throw new AssertionError("snapshot watcher failed", failure);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + timeout + ": " + what.get());
            }
            Thread.sleep(50);
        }
    }

    public SnapshotTally tally() {
        return tally;
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(WAIT.toMillis());
    }

    private void run() {
        try {
            while (true) {
                consumer.poll(POLL).forEach(tally::add);
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable e) {
            failure = e;
        } finally {
            consumer.close();
        }
    }

    private static KafkaConsumer<byte[], SessionSnapshot> consumer(String bootstrapServers, String registryUrl) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000), new ByteArrayDeserializer(),
                SnapshotSerdes.<SessionSnapshot>deserializer(Map.of(ArenaflowConfig.REGISTRY_URL, registryUrl), true));
    }

    private static List<TopicPartition> assignFromBeginning(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, WAIT).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }
}
