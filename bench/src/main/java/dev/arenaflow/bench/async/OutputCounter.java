package dev.arenaflow.bench.async;

import dev.arenaflow.bench.TopicReaders;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Counts the records of an output topic as a {@code read_committed} consumer sees them, from the
 * beginning: the end of an end-to-end measurement is the moment it has seen them all. Open it
 * before the run starts, so its own start-up is not measured.
 */
public final class OutputCounter implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(50);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private long count;
    private long firstNanos;

    /**
     * @param bootstrap the broker
     * @param topic an existing topic
     */
    public OutputCounter(String bootstrap, String topic) {
        consumer = TopicReaders.fromBeginning(bootstrap, topic);
        count += consumer.poll(Duration.ZERO).count();
    }

    /**
     * @param expected how many records to wait for, counted since this counter opened
     * @param timeout how long to wait at most
     * @return {@link System#nanoTime()} when the count reached {@code expected}
     * @throws IllegalStateException if it did not within the timeout
     */
    public long awaitCount(long expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("saw " + count + " of " + expected + " output records within " + timeout);
            }
            poll();
        }
        return System.nanoTime();
    }

    /** @return records seen so far, after one more poll */
    public long poll() {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        if (count == 0 && !records.isEmpty()) {
            firstNanos = System.nanoTime();
        }
        count += records.count();
        return count;
    }

    /** @return {@link System#nanoTime()} when the first record was seen, or 0 */
    public long firstNanos() {
        return firstNanos;
    }

    /** @return records seen so far */
    public long count() {
        return count;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
