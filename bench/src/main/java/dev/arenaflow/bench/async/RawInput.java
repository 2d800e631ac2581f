package dev.arenaflow.bench.async;

import dev.arenaflow.record.RawRecordWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes the input of a run before it starts: Raw Record v1 values keyed by source, the sources
 * taken in turn, so that any window of fewer records than sources holds distinct sources and
 * per-source order never makes a message wait behind another.
 */
public final class RawInput {

    /** Payload bytes per record: with the header and source, records of about 100 bytes. */
    private static final int PAYLOAD_BYTES = 64;
    private static final int TYPE = 7;

    private RawInput() {
    }

    /**
     * @param bootstrap the broker
     * @param topic an existing topic
     * @param records how many to write
     * @param sources distinct sources, i.e. keys
     * @throws IllegalStateException if a record could not be written
     */
    public static void produce(String bootstrap, String topic, int records, int sources) {
        byte[] payload = new byte[PAYLOAD_BYTES];
        long eventTime = System.currentTimeMillis();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                // On a just-created topic the first batch can fail with NOT_LEADER_OR_FOLLOWER; with
                // later batches already in flight, the idempotent producer then got
                // OUT_OF_ORDER_SEQUENCE_NUMBER until the batches expired, losing them.
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                String source = "source-" + i % sources;
                byte[] value = RawRecordWriter.encode(TYPE, eventTime + i, i / sources, source, payload, true);
                producer.send(new ProducerRecord<>(topic, source.getBytes(StandardCharsets.UTF_8), value),
                        (metadata, e) -> failure.compareAndSet(null, e));
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("could not write the input to " + topic, failure.get());
        }
    }
}
