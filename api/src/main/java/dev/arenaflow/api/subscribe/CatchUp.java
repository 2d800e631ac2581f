package dev.arenaflow.api.subscribe;

import dev.arenaflow.api.SnapshotConverter;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a plugin's snapshot topic for one subscription from its start position (the earliest, or
 * a resume token) until it has caught up with the tail, then hands the subscription to the tail.
 * It reads only as fast as the client takes snapshots.
 *
 * <p>Threading notes: runs on a thread of its own; owns the subscription's positions until it
 * has joined the tail.
 */
final class CatchUp implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(CatchUp.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String topic;
    private final Subscription subscription;
    private final SnapshotTail tail;
    private final Consumer<byte[], byte[]> consumer;
    private final SnapshotConverter converter;
    private final List<TopicPartition> partitions;
    private final long stallNanos;

    CatchUp(String topic, Subscription subscription, SnapshotTail tail, Consumer<byte[], byte[]> consumer,
            SnapshotConverter converter, List<TopicPartition> partitions, Duration stall) {
        this.topic = topic;
        this.subscription = subscription;
        this.tail = tail;
        this.consumer = consumer;
        this.converter = converter;
        this.partitions = partitions;
        this.stallNanos = stall.toNanos();
    }

    @Override
    public void run() {
        try {
            consumer.assign(partitions);
            for (TopicPartition tp : partitions) {
                consumer.seek(tp, subscription.positions[tp.partition()]);
            }
            while (!subscription.ended()) {
                if (tail.tryJoin(subscription)) {
                    return;
                }
                if (!readBatch()) {
                    return;
                }
            }
        } catch (OffsetOutOfRangeException e) {
            subscription.end(Status.OUT_OF_RANGE.withDescription("the start position is no longer on " + topic
                    + " (deleted by retention, or beyond its end): " + e.offsetOutOfRangePartitions()));
        } catch (WakeupException e) {
            // stop() asked for it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            subscription.end(Status.UNAVAILABLE.withDescription("the server is shutting down"));
        } catch (RuntimeException e) {
            LOG.warn("A subscriber's catch-up on {} failed: {}", topic, e.toString());
            subscription.end(Status.UNAVAILABLE.withDescription("reading " + topic + " failed: " + e.getMessage()));
        } finally {
            consumer.close();
            converter.close();
        }
    }

    /** @return false if the stream ended while waiting for the client */
    private boolean readBatch() throws InterruptedException {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        for (TopicPartition tp : records.partitions()) {
            for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                subscription.positions[record.partition()] = record.offset() + 1;
                String source = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
                if (subscription.wants(source)
                        && !subscription.offerCatchUp(new Subscription.Event(converter.convert(record),
                        subscription.token()), stallNanos)) {
                    return false;
                }
            }
        }
        for (TopicPartition tp : partitions) {
            int p = tp.partition();
            subscription.positions[p] = Math.max(subscription.positions[p], consumer.position(tp));
        }
        return true;
    }

    /** Wakes the reader so it stops, e.g. at shutdown. */
    void stop() {
        consumer.wakeup();
    }
}
