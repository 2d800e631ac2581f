package dev.arenaflow.bench.sync;

import dev.arenaflow.local.LocalKafka;
import dev.arenaflow.record.RawRecordWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * An input topic filled once, before any timing, and read from the beginning by every run: Raw
 * Record v1 values with a CRC32C trailer and a 256-byte payload, from 100 sources in turn, keyed
 * by source, each source's sequence counting up from 1.
 *
 * @param name the topic
 * @param partitions its partition count
 * @param records how many records it holds
 */
record InputTopic(String name, int partitions, long records) {

    static final int SOURCES = 100;
    static final int PAYLOAD_BYTES = 256;
    static final int TYPE = 7;

    /** Creates the topic and fills it with a producer tuned for throughput, like the perf test's. */
    static InputTopic produce(LocalKafka kafka, String name, int partitions, long records)
            throws InterruptedException, ExecutionException {
        kafka.createTopics(Map.of(name, partitions));
        Leaders.await(kafka, List.of(name));
        byte[][] keys = new byte[SOURCES][];
        for (int s = 0; s < SOURCES; s++) {
            keys[s] = ("source-" + s).getBytes(StandardCharsets.UTF_8);
        }
        byte[] payload = new byte[PAYLOAD_BYTES];
        ThreadLocalRandom.current().nextBytes(payload);
        long eventTime = System.currentTimeMillis();
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings(kafka),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < records; i++) {
                int source = (int) (i % SOURCES);
                byte[] value = RawRecordWriter.encode(TYPE, eventTime + i, i / SOURCES + 1, keys[source], payload, true);
                producer.send(new ProducerRecord<>(name, keys[source], value), (metadata, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("could not fill input topic " + name, failed.get());
        }
        return new InputTopic(name, partitions, records);
    }

    private static Map<String, Object> producerSettings(LocalKafka kafka) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024,
                // One request at a time per broker: never two in flight to a new partition (KAFKA-15591, see Leaders).
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    }
}
