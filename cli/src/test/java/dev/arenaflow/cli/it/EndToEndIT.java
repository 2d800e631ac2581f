package dev.arenaflow.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.cli.it.support.ItApp;
import dev.arenaflow.cli.it.support.StackPerClass;
import dev.arenaflow.record.RawRecordWriter;
import dev.arenaflow.schemas.SessionSnapshot;
import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.DeadLetterHeaders;
import dev.arenaflow.topology.PluginCatalog;
import dev.arenaflow.topology.SnapshotSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End to end on a real KRaft broker and a real Apicurio registry: raw records in, one session
 * snapshot per valid record and one decode dead letter per malformed record out, read back by
 * plain clients, under both processing guarantees.
 */
class EndToEndIT {

    private static final int SOURCES = 4;
    private static final int PER_SOURCE = 60;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    static final StackPerClass STACK = StackPerClass.start("arenaflow-it-");

    @ParameterizedTest
    @ValueSource(strings = {"at_least_once", "exactly_once_v2"})
    void shouldTurnEveryRecordIntoOneSnapshotOrOneDeadLetter(String guarantee) throws Exception {
        String appId = "it-" + guarantee;
        String input = appId + ".raw";
        STACK.kafka().createTopics(Map.of(input, 2));
        Properties props = ItApp.settings(STACK.get(), appId, guarantee, STACK.workDir().resolve("state-" + guarantee));
        List<byte[]> malformed = malformedValues();
        Map<String, Long> expectedDuplicates = produce(input, malformed);

        try (ArenaflowApplication app = ArenaflowApplication.create(
                ArenaflowSettings.validate(props, PluginCatalog.load(getClass().getClassLoader())),
                SnapshotSerdes.serializer(props))) {
            app.start();
            assertThat(app.awaitRunning(WAIT)).isTrue();

            List<ConsumerRecord<byte[], SessionSnapshot>> snapshots = ItApp.readAll(STACK.get(), appId + ".snapshots.session",
                    SOURCES * PER_SOURCE, SnapshotSerdes.deserializer(props, true));
            List<ConsumerRecord<byte[], byte[]>> dead = ItApp.readAll(STACK.get(), appId + ".dlq.decode", malformed.size(),
                    new ByteArrayDeserializer());

            assertOneSnapshotPerRecord(snapshots);
            assertFinalSessions(snapshots, expectedDuplicates);
            assertThat(dead).extracting(r -> DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ERROR_CODE))
                    .containsExactlyInAnyOrder("BAD_MAGIC", "TRUNCATED", "BAD_CHECKSUM", "EMPTY");
            assertThat(dead).extracting(ConsumerRecord::value)
                    .usingElementComparator(Arrays::compare).containsExactlyInAnyOrderElementsOf(malformed);
        }
    }

    private static void assertOneSnapshotPerRecord(List<ConsumerRecord<byte[], SessionSnapshot>> snapshots) {
        Map<String, Long> perPosition = new HashMap<>();
        for (ConsumerRecord<byte[], SessionSnapshot> r : snapshots) {
            var meta = r.value().getMeta();
            perPosition.merge(meta.getInputPartition() + "@" + meta.getInputOffset(), 1L, Long::sum);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(meta.getSource());
            assertThat(meta.getPlugin()).isEqualTo("session");
            assertThat(meta.getAttempt()).isEqualTo(1);
        }
        assertThat(perPosition).hasSize(SOURCES * PER_SOURCE).allSatisfy((position, n) -> assertThat(n).isOne());
    }

    private static void assertFinalSessions(List<ConsumerRecord<byte[], SessionSnapshot>> snapshots,
                                            Map<String, Long> expectedDuplicates) {
        Map<String, SessionSnapshot> last = new HashMap<>();
        snapshots.forEach(r -> last.merge(r.value().getMeta().getSource(), r.value(),
                (a, b) -> a.getMeta().getInputOffset() > b.getMeta().getInputOffset() ? a : b));
        assertThat(last).hasSize(SOURCES);
        last.forEach((source, s) -> {
            long duplicates = expectedDuplicates.get(source);
            assertThat(s.getDuplicates()).as(source).isEqualTo(duplicates);
            assertThat(s.getCount()).as(source).isEqualTo(PER_SOURCE - duplicates);
            assertThat(s.getLastSequence()).as(source).isEqualTo(PER_SOURCE - duplicates + 10);
            assertThat(s.getGaps()).as(source).isEqualTo(10);
        });
    }

    /** Each source: sequences 1..N with a gap of 10 after the first, and every 20th record repeated. */
    private static Map<String, Long> produce(String topic, List<byte[]> malformed) {
        Map<String, Long> duplicates = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int s = 0; s < SOURCES; s++) {
                String source = "sensor-" + s + "-é";
                long sequence = 0;
                for (int i = 0; i < PER_SOURCE; i++) {
                    boolean duplicate = i > 0 && i % 20 == 0;
                    sequence = duplicate ? sequence : sequence == 1 ? 12 : sequence + 1;
                    duplicates.merge(source, duplicate ? 1L : 0L, Long::sum);
                    byte[] value = RawRecordWriter.encode(7, 1_764_000_000_000L + i, sequence, source, new byte[i % 7], true);
                    producer.send(new ProducerRecord<>(topic, source.getBytes(StandardCharsets.UTF_8), value));
                }
            }
            malformed.forEach(value -> producer.send(new ProducerRecord<>(topic, null, value)));
            producer.flush();
        }
        return duplicates;
    }

    private static List<byte[]> malformedValues() {
        byte[] valid = RawRecordWriter.encode(7, 1L, 1L, "bad", new byte[] {1, 2, 3}, true);
        byte[] badCrc = valid.clone();
        badCrc[badCrc.length - 1] ^= 1;
        return List.of(new byte[] {0x01, 0x02}, Arrays.copyOf(valid, 20), badCrc, new byte[0]);
    }

}
