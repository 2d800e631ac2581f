package dev.arenaflow.cli.io;

import dev.arenaflow.topology.SnapshotSerdes;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Creates the Kafka clients the CLI uses, so that tests can hand out kafka-clients'
 * {@code MockProducer} and {@code MockConsumer} instead.
 */
public interface KafkaClients {

    /** @param config producer settings with byte-array serializers @return a new producer, owned by the caller */
    Producer<byte[], byte[]> producer(Map<String, Object> config);

    /** @param config consumer settings with byte-array deserializers @return a new consumer, owned by the caller */
    Consumer<byte[], byte[]> consumer(Map<String, Object> config);

    /**
     * @param settings merged settings with {@code arenaflow.registry.url} and any {@code apicurio.registry.*} keys
     * @return a new deserializer of snapshot values into generic records, owned by the caller
     * @throws org.apache.kafka.common.config.ConfigException if the registry URL is missing
     */
    Deserializer<Object> snapshotDeserializer(Map<String, Object> settings);

    /** @return the real clients */
    static KafkaClients real() {
        return new KafkaClients() {
            @Override
            public Producer<byte[], byte[]> producer(Map<String, Object> config) {
                return new KafkaProducer<>(config);
            }

            @Override
            public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
                return new KafkaConsumer<>(config);
            }

            @Override
            public Deserializer<Object> snapshotDeserializer(Map<String, Object> settings) {
                return SnapshotSerdes.deserializer(settings, false);
            }
        };
    }
}
