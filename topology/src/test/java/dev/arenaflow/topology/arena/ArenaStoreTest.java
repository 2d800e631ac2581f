package dev.arenaflow.topology.arena;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the arena writes to its changelog. TopologyTestDriver commits after every input record,
 * so each piped record is one commit interval here.
 */
class ArenaStoreTest {

    private static final String APP = "arena-test";
    private static final String CHANGELOG = APP + "-arena-x-changelog";

    private TopologyTestDriver driver;
    private TestInputTopic<String, String> input;
    private TestOutputTopic<byte[], byte[]> changelog;

    @BeforeEach
    void start() {
        Topology topology = new Topology();
        topology.addSource("in", new StringDeserializer(), new StringDeserializer(), "in");
        topology.addProcessor("holder", CommandedHolder::new, "in");
        topology.addStateStore(ArenaStoreBuilder.arena(Stores.persistentKeyValueStore("arena-x")), "holder");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(topology, props);
        input = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
        changelog = driver.createOutputTopic(CHANGELOG, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void shouldWriteNothingForEntriesAckedWithinTheCommitInterval() {
        for (int i = 0; i < 100; i++) {
            input.pipeInput("k", "pass");
        }

        assertThat(changelog.readRecordsToList()).isEmpty();
    }

    @Test
    void shouldPersistEntriesStillPendingAtCommit() {
        input.pipeInput("k", "hold");
        input.pipeInput("k", "hold");

        List<TestRecord<byte[], byte[]>> written = changelog.readRecordsToList();
        assertThat(written).hasSize(2);
        assertThat(written).allSatisfy(r -> assertThat(r.value()).isNotNull());
        assertThat(ArenaKey.fromBytes(Bytes.wrap(written.get(0).key()))).isEqualTo(new ArenaKey("in", 0, 0));
        ArenaEntry entry = ArenaEntryCodec.decode(new ArenaKey("in", 0, 0), written.get(0).value());
        assertThat(new String(entry.value(), StandardCharsets.UTF_8)).isEqualTo("hold");
        assertThat(entry.attempt()).isEqualTo(1);
    }

    @Test
    void shouldTombstoneEntryPersistedEarlierAndAckedSince() {
        input.pipeInput("k", "hold");
        input.pipeInput("k", "ack 0");

        List<TestRecord<byte[], byte[]>> written = changelog.readRecordsToList();
        assertThat(written).hasSize(2);
        assertThat(written.get(1).value()).isNull();
        assertThat(ArenaKey.fromBytes(Bytes.wrap(written.get(1).key()))).isEqualTo(new ArenaKey("in", 0, 0));
    }

    @Test
    void shouldNotRewritePendingEntryThatDidNotChange() {
        input.pipeInput("k", "hold");
        input.pipeInput("k", "pass");
        input.pipeInput("k", "pass");

        assertThat(changelog.readRecordsToList()).hasSize(1);
    }

    @Test
    void shouldRewritePendingEntryOnNewAttempt() {
        input.pipeInput("k", "hold");
        input.pipeInput("k", "retry 0");

        List<TestRecord<byte[], byte[]>> written = changelog.readRecordsToList();
        assertThat(written).hasSize(2);
        assertThat(ArenaEntryCodec.decode(new ArenaKey("in", 0, 0), written.get(1).value()).attempt()).isEqualTo(2);
    }

    /** Holds, acknowledges or re-attempts entries as each input value commands. */
    private static final class CommandedHolder implements Processor<String, String, Void, Void> {
        private ProcessorContext<Void, Void> context;
        private ArenaStore arena;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            this.arena = context.getStateStore("arena-x");
        }

        @Override
        public void process(Record<String, String> record) {
            var position = context.recordMetadata().orElseThrow();
            ArenaKey key = new ArenaKey(position.topic(), position.partition(), position.offset());
            arena.put(new ArenaEntry(key, 1, record.timestamp(), null,
                    record.value().getBytes(StandardCharsets.UTF_8), record.headers()));
            String[] command = record.value().split(" ");
            switch (command[0]) {
                case "pass" -> assertThat(arena.ack(key)).isTrue();
                case "ack" -> {
                    assertThat(arena.ack(key)).isTrue();
                    assertThat(arena.ack(new ArenaKey("in", 0, Long.parseLong(command[1])))).isTrue();
                }
                case "retry" -> {
                    assertThat(arena.ack(key)).isTrue();
                    ArenaEntry old = arena.get(new ArenaKey("in", 0, Long.parseLong(command[1])));
                    arena.put(new ArenaEntry(old.key(), old.attempt() + 1, old.timestamp(), old.recordKey(),
                            old.value(), old.headers()));
                }
                default -> { }
            }
        }
    }
}
