package dev.arenaflow.bench.api;

import dev.arenaflow.bench.plugins.CountSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The baseline reader: a plain {@code read_committed} Kafka consumer of the snapshot topic, no
 * group, on its own thread in the bench JVM, from the topic's end at construction or from its
 * beginning (then it notes when it has read up to the end offsets it saw at the start). It reads
 * {@code meta.sequence} from each value (after the Confluent wire format's 5-byte header, with the
 * snapshot class's own schema) so its arrivals are timed like a subscriber's.
 */
final class PlainReader implements AutoCloseable {

    private static final int WIRE_HEADER_BYTES = 5;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(CountSnapshot.SCHEMA$);
    private final Arrivals arrivals = new Arrivals("plain consumer");
    private final Map<String, ConsumerRecord<byte[], byte[]>> lastBySource = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final Thread thread;
    private final Map<TopicPartition, Long> end;
    private volatile long caughtUpNanos = -1;
    private volatile boolean stop;

    /** From the topic's end. */
    PlainReader(String bootstrap, String topic) {
        this(bootstrap, topic, false);
    }

    /** @param fromBeginning read the whole topic, or only what is written from now on */
    PlainReader(String bootstrap, String topic, boolean fromBeginning) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        if (fromBeginning) {
            end = consumer.endOffsets(partitions);
            consumer.seekToBeginning(partitions);
        } else {
            end = null;
            consumer.seekToEnd(partitions);
            // seekToEnd is lazy: resolve it now, so nothing written from here on is skipped.
            partitions.forEach(consumer::position);
        }
        thread = new Thread(this::run, "bench-api-plain-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!stop) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long nanos = System.nanoTime();
                    arrivals.add(r.partition(), r.offset(), sequence(r.value()), nanos);
                    lastBySource.put(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8), r);
                }
                if (end != null && caughtUpNanos < 0
                        && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUpNanos = System.nanoTime();
                }
            }
        } catch (RuntimeException e) {
            failure.set(e);
        } finally {
            consumer.close();
        }
    }

    private long sequence(byte[] value) {
        try {
            GenericRecord snapshot = reader.read(null, DecoderFactory.get().binaryDecoder(value, WIRE_HEADER_BYTES,
                    value.length - WIRE_HEADER_BYTES, null));
            return (Long) ((GenericRecord) snapshot.get("meta")).get("sequence");
        } catch (IOException e) {
            throw new UncheckedIOException("not a CountSnapshot in the Confluent wire format", e);
        }
    }

    Arrivals arrivals() {
        check();
        return arrivals;
    }

    /** @return per source, the last snapshot record read */
    Map<String, ConsumerRecord<byte[], byte[]>> lastBySource() {
        check();
        return lastBySource;
    }

    /** @return when it had read everything the topic held at its start, or -1 if not yet (from the beginning only) */
    long caughtUpNanos() {
        check();
        return caughtUpNanos;
    }

    /** @throws IllegalStateException if the reading thread failed */
    void check() {
        if (failure.get() != null) {
            throw new IllegalStateException("the plain consumer failed", failure.get());
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join();
    }
}
