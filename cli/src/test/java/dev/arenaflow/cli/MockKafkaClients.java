package dev.arenaflow.cli;

import dev.arenaflow.cli.io.KafkaClients;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;

/** Hands out kafka-clients' mocks and remembers the settings each client was created with. */
final class MockKafkaClients implements KafkaClients {

    MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    Deserializer<Object> deserializer = (topic, data) -> {
        throw new AssertionError("no snapshot deserializer in this test");
    };
    Map<String, Object> producerConfig;
    Map<String, Object> consumerConfig;
    Map<String, Object> deserializerSettings;

    @Override
    public Producer<byte[], byte[]> producer(Map<String, Object> config) {
        producerConfig = config;
        return producer;
    }

    @Override
    public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
        consumerConfig = config;
        return consumer;
    }

    @Override
    public Deserializer<Object> snapshotDeserializer(Map<String, Object> settings) {
        deserializerSettings = settings;
        return deserializer;
    }
}
