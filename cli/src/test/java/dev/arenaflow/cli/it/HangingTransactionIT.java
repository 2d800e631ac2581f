package dev.arenaflow.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.local.KafkaOptions;
import dev.arenaflow.local.LocalKafka;
import dev.arenaflow.local.LocalStackLayout;
import dev.arenaflow.topology.transactions.HangingTransactionWatch;
import dev.arenaflow.topology.transactions.HangingTransactions.Hanging;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real hanging transaction, made the way Kafka 4.4.0 makes them (a broker that is its own
 * controller, SIGKILLed with a transaction open; see {@link KafkaOptions#withSeparateController()}):
 * the watch reports it on every partition, and no more once the operator aborts it.
 */
class HangingTransactionIT {

    private static final String TOPIC = "snapshots.hang";
    private static final String TRANSACTIONAL_ID = "hanging-transaction-it";
    private static final int PARTITIONS = 3;
    private static final Duration WITHIN = Duration.ofSeconds(90);

    @TempDir
    static Path tempDir;

    private static LocalKafka kafka;

    @BeforeAll
    static void startBroker() throws InterruptedException {
        // One process in both roles on purpose: that is what leaves the transaction hanging.
        kafka = LocalKafka.start(tempDir.resolve("kafka"), LocalStackLayout.locate(),
                KafkaOptions.defaults().withFastTransactionAbort());
        kafka.createTopics(Map.of(TOPIC, PARTITIONS, "not.ours", 1));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldReportATransactionLeftOpenOnEachPartitionUntilItIsAborted() throws Exception {
        List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                .mapToObj(p -> new TopicPartition(TOPIC, p)).toList();
        leaveATransactionHanging(partitions);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Admin admin = kafka.admin();
             HangingTransactionWatch watch = new HangingTransactionWatch(kafka.admin(), TOPIC::equals, 1_000,
                     System::currentTimeMillis)) {
            watch.bindMeters(meters);
            awaitCoordinatorDone(admin);

            List<Hanging> found = watch.checkNow();

            assertThat(found).extracting(Hanging::partition).containsExactlyElementsOf(partitions);
            assertThat(meters.get(HangingTransactionWatch.HANGING_METER).gauge().value()).isEqualTo(PARTITIONS);
            for (Hanging hanging : found) {
                assertThat(lastStableOffset(admin, hanging.partition())).isEqualTo(hanging.startOffset());
            }

            abort(admin, partitions);

            assertThat(watch.checkNow()).isEmpty();
            assertThat(meters.get(HangingTransactionWatch.HANGING_METER).gauge().value()).isZero();
            for (Hanging hanging : found) {
                assertThat(lastStableOffset(admin, hanging.partition())).isGreaterThan(hanging.startOffset());
            }
        }
    }

    private static void leaveATransactionHanging(List<TopicPartition> partitions) throws Exception {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
        settings.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 5_000);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (TopicPartition partition : partitions) {
                producer.send(new ProducerRecord<>(TOPIC, partition.partition(), "key", "left open")).get();
            }
            kafka.kill();
            producer.close(Duration.ZERO);
        }
        kafka.restart();
    }

    /** Until the coordinator has finished with the transaction: from then on, only the partitions hold it open. */
    private static void awaitCoordinatorDone(Admin admin) throws InterruptedException {
        Set<TransactionState> done = Set.of(TransactionState.COMPLETE_ABORT, TransactionState.COMPLETE_COMMIT,
                TransactionState.EMPTY);
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                TransactionState state = admin.describeTransactions(List.of(TRANSACTIONAL_ID)).all().get()
                        .get(TRANSACTIONAL_ID).state();
                if (done.contains(state)) {
                    return;
                }
            } catch (java.util.concurrent.ExecutionException e) {
                // The coordinator is still loading after the restart; ask again.
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the coordinator did not finish the killed producer's transaction within " + WITHIN);
    }

    private static void abort(Admin admin, List<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState> producers =
                admin.describeProducers(partitions).all().get();
        for (TopicPartition partition : partitions) {
            for (ProducerState state : producers.get(partition).activeProducers()) {
                if (state.currentTransactionStartOffset().isPresent()) {
                    admin.abortTransaction(new AbortTransactionSpec(partition, state.producerId(),
                            (short) state.producerEpoch(), state.coordinatorEpoch().orElse(0))).all().get();
                }
            }
        }
    }

    private static long lastStableOffset(Admin admin, TopicPartition partition) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest()),
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).partitionResult(partition).get().offset();
    }
}
