package dev.arenaflow.bench.sync;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Counts the records a pipeline wrote, as a downstream consumer sees them: read_committed, from
 * the beginning of every partition of its output topics. It only counts, so keys and values are
 * never copied out of the fetched buffers; the counting steals as little CPU as it can from the
 * pipeline it times.
 */
final class OutputCounter implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(50);

    private final KafkaConsumer<Void, Void> consumer;

    /** Assigns every partition of the topics, which must exist, positioned at their beginning. */
    OutputCounter(String bootstrapServers, List<String> topics) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000,
                ConsumerConfig.CLIENT_ID_CONFIG, "bench-output-counter"), new Ignored(), new Ignored());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Polls until {@code expected} records were seen.
     *
     * @param startNanos when the pipeline was started, by {@link System#nanoTime()}
     * @return when the first, the middle and the last expected record were seen
     * @throws TimeoutException if they were not all seen within the timeout
     */
    Timing await(long expected, long startNanos, Duration timeout) throws TimeoutException {
        long deadline = startNanos + timeout.toNanos();
        long seen = 0;
        long first = -1;
        long half = -1;
        while (seen < expected) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("saw " + seen + " of " + expected + " output records within " + timeout);
            }
            seen += consumer.poll(POLL).count();
            if (seen > 0 && first < 0) {
                first = System.nanoTime();
            }
            if (seen >= expected / 2 && half < 0) {
                half = System.nanoTime();
            }
        }
        return new Timing(startNanos, first, half, System.nanoTime());
    }

    @Override
    public void close() {
        consumer.close();
    }

    /**
     * When the output arrived.
     *
     * @param startNanos the pipeline's start
     * @param firstNanos the first output record's arrival
     * @param halfNanos when half the expected output records had arrived
     * @param lastNanos the arrival of the last expected one
     */
    record Timing(long startNanos, long firstNanos, long halfNanos, long lastNanos) {

        /** @return input records per second from the start until the last output record */
        double rate(long inputRecords) {
            return inputRecords / seconds();
        }

        /**
         * @return input records per second over the second half of the output: the rate once
         *         started, without the start-up (topic and store set-up, the first rebalance),
         *         which weighs heavily in a short run
         */
        double steadyRate(long inputRecords) {
            return inputRecords / 2.0 / ((lastNanos - halfNanos) / 1e9);
        }

        /** @return seconds from the start until the last expected output record */
        double seconds() {
            return (lastNanos - startNanos) / 1e9;
        }

        /** @return seconds from the start until the first output record: start-up, mostly */
        double startSeconds() {
            return (firstNanos - startNanos) / 1e9;
        }
    }

    /** Skips the copy into a new array that the default byte-array path makes. */
    private static final class Ignored implements Deserializer<Void> {
        @Override
        public Void deserialize(String topic, byte[] data) {
            return null;
        }

        @Override
        public Void deserialize(String topic, Headers headers, ByteBuffer data) {
            return null;
        }
    }
}
