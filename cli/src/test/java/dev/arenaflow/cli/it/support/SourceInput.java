package dev.arenaflow.cli.it.support;

import dev.arenaflow.record.RawRecordWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes Raw Record v1 inputs in a given order of sources, each keyed by its source, with
 * sequences 1, 2, ... per source and the payload length {@link InputFeed#payloadLength} gives, so a
 * {@link SnapshotTally} can check the snapshots against the {@link InputLedger} it fills.
 */
public final class SourceInput {

    private static final long BASE_TIME = 1_764_000_000_000L;

    private SourceInput() {
    }

    /**
     * @param sources one source per record, in the order they are written
     * @return the inputs, once the broker has acknowledged every one
     */
    public static InputLedger write(String bootstrapServers, String topic, List<String> sources) {
        InputLedger ledger = new InputLedger();
        Map<String, Long> sequences = new HashMap<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String source : sources) {
                long sequence = sequences.merge(source, 1L, Long::sum);
                InputLedger.Input input = new InputLedger.Input(source, sequence, InputFeed.payloadLength(sequence));
                byte[] value = RawRecordWriter.encode(7, BASE_TIME + sequence, sequence, source,
                        new byte[input.payloadLength()], true);
                producer.send(new ProducerRecord<>(topic, source.getBytes(StandardCharsets.UTF_8), value), (m, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        ledger.add(new InputLedger.Position(m.partition(), m.offset()), input);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new AssertionError("could not write the input to " + topic, failure.get());
        }
        return ledger;
    }
}
