package dev.arenaflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker of a cluster whose controller runs apart ({@link KafkaOptions#withSeparateController()})
 * SIGKILLed with a transaction open: after its restart the transaction coordinator aborts that
 * transaction and writes the abort markers, so no partition is left behind a hanging transaction.
 */
class BrokerKillIT {

    private static final String TOPIC = "kill.me";
    private static final int PARTITIONS = 4;
    private static final Duration MARKERS_WITHIN = Duration.ofSeconds(60);

    @TempDir
    static Path tempDir;

    private static LocalKafka kafka;

    @BeforeAll
    static void startBroker() throws InterruptedException {
        kafka = LocalKafka.start(tempDir.resolve("kafka"), LocalStackLayout.locate(),
                KafkaOptions.defaults().withFastTransactionAbort().withSeparateController());
        kafka.createTopics(Map.of(TOPIC, PARTITIONS));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldAbortATransactionTheKillLeftOpenOnEveryPartition() throws Exception {
        List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                .mapToObj(p -> new TopicPartition(TOPIC, p)).toList();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerSettings())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (TopicPartition partition : partitions) {
                producer.send(new ProducerRecord<>(TOPIC, partition.partition(), "key", "never committed")).get();
            }
            try (Admin admin = kafka.admin()) {
                assertThat(openTransactions(admin, partitions)).as("the transaction is open before the kill")
                        .containsExactlyInAnyOrderElementsOf(partitions);
            }
            kafka.kill();
            producer.close(Duration.ZERO);
        }
        // The 5 s transaction timeout has run out by the restart, so the coordinator aborts the transaction
        // as soon as it loads: the moment a broker that is its own controller completes aborts without markers.
        kafka.restart();

        try (Admin admin = kafka.admin()) {
            long deadline = System.nanoTime() + MARKERS_WITHIN.toNanos();
            Set<TopicPartition> open = openTransactions(admin, partitions);
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                open = openTransactions(admin, partitions);
            }
            assertThat(open).as("partitions still behind the killed producer's transaction").isEmpty();
        }
    }

    private static Properties producerSettings() {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "broker-kill-it");
        settings.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 5_000);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return settings;
    }

    /** The partitions on which some producer has a transaction open, by the partition leader's own account. */
    private static Set<TopicPartition> openTransactions(Admin admin, List<TopicPartition> partitions)
            throws InterruptedException {
        try {
            return admin.describeProducers(partitions).all().get().entrySet().stream()
                    .filter(e -> e.getValue().activeProducers().stream()
                            .map(ProducerState::currentTransactionStartOffset).anyMatch(o -> o.isPresent()))
                    .map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
        } catch (ExecutionException e) {
            // The broker is still coming back: count every partition as open and ask again.
            return Set.copyOf(partitions);
        }
    }
}
