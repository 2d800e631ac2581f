package dev.arenaflow.bench.api;

import dev.arenaflow.record.RawRecordWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The api section's input: Raw Record v1 values keyed by source, the sources taken in turn, each
 * record's sequence a number unique in the whole run. A snapshot's {@code meta.sequence} is its
 * input's, so every reader can look up when the input of a snapshot was sent ({@link #sentNanos}),
 * on this JVM's clock, the one readers stamp arrivals with.
 *
 * <p>Sent one at a time with {@code linger.ms=0}, at a fixed rate: the same offered load in every
 * phase, so CPU per snapshot is compared at the same rate, and no batching delay in the latency.
 */
final class PacedFeed implements AutoCloseable {

    private static final int TYPE = 7;
    private static final int PAYLOAD_BYTES = 64;

    private final String topic;
    private final int sources;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<Long, Long> sent = new ConcurrentHashMap<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final byte[] payload = new byte[PAYLOAD_BYTES];
    /** Sequences start at 1, as sources' sequences do elsewhere in the bench. */
    private long next = 1;

    PacedFeed(String bootstrap, String topic, int sources) {
        this.topic = topic;
        this.sources = sources;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0,
                // Never two batches in flight to a partition just created (see RawInput).
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Sends {@code count} records at {@code perSecond}, then flushes.
     *
     * @return the sequence of the first record sent; the others follow it
     * @throws IllegalStateException if a record could not be written
     */
    long send(int count, int perSecond) {
        long first = next;
        long interval = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            long sequence = next++;
            String source = "source-" + sequence % sources;
            byte[] value = RawRecordWriter.encode(TYPE, System.currentTimeMillis(), sequence, source, payload, true);
            sent.put(sequence, System.nanoTime());
            producer.send(new ProducerRecord<>(topic, source.getBytes(StandardCharsets.UTF_8), value),
                    (metadata, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
        }
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("could not write the input to " + topic, failure.get());
        }
        return first;
    }

    /** @return when the input of this sequence was handed to the producer, System.nanoTime() */
    long sentNanos(long sequence) {
        Long nanos = sent.get(sequence);
        if (nanos == null) {
            throw new IllegalStateException("a snapshot of sequence " + sequence + ", which this run never sent");
        }
        return nanos;
    }

    @Override
    public void close() {
        producer.close();
    }
}
