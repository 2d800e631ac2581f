package dev.arenaflow.bench.recovery;

import dev.arenaflow.bench.TopicReaders;
import dev.arenaflow.bench.async.ChildRun;
import dev.arenaflow.schemas.SessionSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Reads a snapshot topic from the beginning as {@code read_committed}, and notes the wall-clock
 * time of the first snapshot and of the moment every awaited input position had one.
 *
 * <p>Values are decoded with the snapshot class's own schema, after the Confluent wire format's
 * 5-byte header, not through the registry: a registry client's first lookup takes seconds on a
 * busy machine and would be counted as the first snapshot's delay.
 */
final class SnapshotWatch implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(20);
    private static final int WIRE_HEADER_BYTES = 5;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final SpecificDatumReader<SessionSnapshot> reader = new SpecificDatumReader<>(SessionSnapshot.class);
    private final Set<String> positions = new HashSet<>();
    private long firstAtMs = -1;
    private long snapshots;
    private long retried;

    SnapshotWatch(String bootstrap, String topic) {
        consumer = TopicReaders.fromBeginning(bootstrap, topic);
    }

    /**
     * @param distinct input positions that must each have a snapshot
     * @param child checked while waiting: a dead child will not resolve anything
     * @return the wall-clock ms when the last of them was seen
     */
    long awaitAll(long distinct, Duration timeout, ChildRun child) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (positions.size() < distinct) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("snapshots of " + positions.size() + " of " + distinct
                        + " input positions within " + timeout + "\n" + child.tail());
            }
            child.assertAlive();
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                take(decode(r.value()));
            }
        }
        return System.currentTimeMillis();
    }

    private SessionSnapshot decode(byte[] value) {
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(value, WIRE_HEADER_BYTES,
                    value.length - WIRE_HEADER_BYTES, null));
        } catch (IOException e) {
            throw new UncheckedIOException("not a SessionSnapshot in the Confluent wire format", e);
        }
    }

    private void take(SessionSnapshot snapshot) {
        if (firstAtMs < 0) {
            firstAtMs = System.currentTimeMillis();
        }
        snapshots++;
        if (snapshot.getMeta().getAttempt() > 1) {
            retried++;
        }
        positions.add(snapshot.getMeta().getInputPartition() + "@" + snapshot.getMeta().getInputOffset());
    }

    /** @return the wall-clock ms when the first snapshot was seen, or -1 */
    long firstAtMs() {
        return firstAtMs;
    }

    /** @return snapshots seen, duplicates included */
    long snapshots() {
        return snapshots;
    }

    /** @return snapshots of a second or later attempt: restored arena entries dispatched again */
    long retried() {
        return retried;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
