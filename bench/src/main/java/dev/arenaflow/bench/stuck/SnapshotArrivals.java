package dev.arenaflow.bench.stuck;

import dev.arenaflow.bench.TopicReaders;
import dev.arenaflow.schemas.SessionSnapshot;
import dev.arenaflow.schemas.SnapshotMeta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Reads the delay plugin's snapshot topic from its beginning as a {@code read_committed} consumer
 * on a thread of its own, and notes when the snapshot of each healthy input arrived (by its
 * {@code meta.sequence}, on this JVM's clock, the one the feed stamps sends with). It counts the
 * bad source's snapshots, and any snapshot that repeats a sequence or comes before an earlier
 * sequence of its source.
 *
 * <p>Threading notes: the consumer is used by the reading thread only; the other methods may be
 * called from any thread, and give final figures after {@link #close}.
 */
final class SnapshotArrivals implements AutoCloseable {

    private static final int WIRE_HEADER_BYTES = 5;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final SpecificDatumReader<SessionSnapshot> reader = new SpecificDatumReader<>(SessionSnapshot.class);
    private final Map<Long, Long> healthyArrived = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSequence = new HashMap<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final Thread thread;
    private final AtomicLong bad = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong outOfOrder = new AtomicLong();
    private volatile boolean stop;

    SnapshotArrivals(String bootstrap, String topic) {
        consumer = TopicReaders.fromBeginning(bootstrap, topic);
        thread = new Thread(this::run, "bench-stuck-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!stop) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    add(meta(r.value()), System.nanoTime());
                }
            }
        } catch (RuntimeException e) {
            failure.set(e);
        } finally {
            consumer.close();
        }
    }

    private void add(SnapshotMeta meta, long nanos) {
        Long before = lastSequence.put(meta.getSource(), meta.getSequence());
        if (before != null && before >= meta.getSequence()) {
            outOfOrder.incrementAndGet();
        }
        if (BadSource.SOURCE.equals(meta.getSource())) {
            bad.incrementAndGet();
        } else if (healthyArrived.putIfAbsent(meta.getSequence(), nanos) != null) {
            duplicates.incrementAndGet();
        }
    }

    private SnapshotMeta meta(byte[] value) {
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(value, WIRE_HEADER_BYTES,
                    value.length - WIRE_HEADER_BYTES, null)).getMeta();
        } catch (IOException e) {
            throw new UncheckedIOException("not a SessionSnapshot in the Confluent wire format", e);
        }
    }

    /** @return per healthy sequence, System.nanoTime() when its snapshot arrived */
    Map<Long, Long> healthy() {
        check();
        return healthyArrived;
    }

    /** @return snapshots of the bad source */
    long bad() {
        return bad.get();
    }

    /** @return healthy snapshots of a sequence seen before */
    long duplicates() {
        return duplicates.get();
    }

    /** @return snapshots whose sequence is not above the last one seen of their source */
    long outOfOrder() {
        return outOfOrder.get();
    }

    /** @throws IllegalStateException if the reading thread failed */
    void check() {
        if (failure.get() != null) {
            throw new IllegalStateException("the snapshot reader failed", failure.get());
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join();
        check();
    }
}
