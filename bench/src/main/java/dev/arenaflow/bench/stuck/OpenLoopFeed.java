package dev.arenaflow.bench.stuck;

import dev.arenaflow.record.RawRecordWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The stuck section's input, open loop: healthy records leave at a fixed rate whatever arenaflow
 * does with them, so a stalled instance shows as latency and missing throughput rather than as a
 * producer that slowed down with it. Healthy sources {@code healthy-0 .. healthy-(n-1)} take turns;
 * the bad source's records are sent between them at its share. Every record's sequence is unique
 * in the run, so a snapshot's {@code meta.sequence} names its input and the moment it was sent.
 *
 * <p>Threading notes: one thread sends; {@link #sentNanos} and {@link #healthy} are read by the
 * same thread after {@link #run} returned.
 */
final class OpenLoopFeed implements AutoCloseable {

    private static final int TYPE = 7;
    private static final int PAYLOAD_BYTES = 64;

    private final String topic;
    private final int healthySources;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final byte[] payload = new byte[PAYLOAD_BYTES];
    /** Healthy sequences only: System.nanoTime() when handed to the producer. */
    private final Map<Long, Long> healthySent = new HashMap<>();
    private final AtomicLong next = new AtomicLong(1);
    private final AtomicLong badSent = new AtomicLong();

    OpenLoopFeed(String bootstrap, String topic, int healthySources) {
        this.topic = topic;
        this.healthySources = healthySources;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0,
                // Never two batches in flight to a partition just created (see RawInput).
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** Sends {@code count} records of the bad source at once, and waits until the broker has them. */
    void backlog(int count) {
        for (int i = 0; i < count; i++) {
            send(BadSource.SOURCE);
        }
        producer.flush();
        check();
    }

    /**
     * Sends healthy records at {@code perSecond} for {@code length}, with one bad record after every
     * {@code healthyPerBad} healthy ones (0: none).
     *
     * @return System.nanoTime() when the first healthy record was due
     */
    long run(int perSecond, int healthyPerBad, Duration length) {
        long interval = 1_000_000_000L / perSecond;
        long count = length.toNanos() / interval;
        long start = System.nanoTime();
        for (long i = 0; i < count && failure.get() == null; i++) {
            long due = start + i * interval;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            healthySent.put(next.get(), System.nanoTime());
            send("healthy-" + i % healthySources);
            if (healthyPerBad > 0 && (i + 1) % healthyPerBad == 0) {
                send(BadSource.SOURCE);
            }
        }
        producer.flush();
        check();
        return start;
    }

    private void send(String source) {
        long sequence = next.getAndIncrement();
        if (BadSource.SOURCE.equals(source)) {
            badSent.incrementAndGet();
        }
        byte[] value = RawRecordWriter.encode(TYPE, System.currentTimeMillis(), sequence, source, payload, true);
        producer.send(new ProducerRecord<>(topic, source.getBytes(StandardCharsets.UTF_8), value), (m, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
    }

    private void check() {
        if (failure.get() != null) {
            throw new IllegalStateException("could not write the input to " + topic, failure.get());
        }
    }

    /** @return per healthy sequence, System.nanoTime() when it was sent */
    Map<Long, Long> healthy() {
        return healthySent;
    }

    /** @return records of the bad source sent, backlog included */
    long badSent() {
        return badSent.get();
    }

    @Override
    public void close() {
        producer.close();
    }
}
