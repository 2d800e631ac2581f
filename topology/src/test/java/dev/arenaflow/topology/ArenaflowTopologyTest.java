package dev.arenaflow.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arenaflow.record.RawRecordWriter;
import dev.arenaflow.schemas.SessionSnapshot;
import dev.arenaflow.topology.plugins.FailingPlugin;
import dev.arenaflow.topology.plugins.LeakyPlugin;
import dev.arenaflow.topology.testing.InMemoryRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ArenaflowTopologyTest {

    private static final int SESSION_TYPE = 7;
    private static final int TYPED_TYPE = 9;
    private static final int FAILING_TYPE = 5;
    private static final int LEAKY_TYPE = 6;

    private final InMemoryRegistry registry = new InMemoryRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> input;
    private long sequenceTime = 1_764_000_000_000L;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "arenaflow-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(ArenaflowConfig.PLUGINS, "session,typed,failing,leaky");
        props.put(ArenaflowConfig.LOAN_GUARD, "strict");
        props.put("plugin.failing.reason", "rejected: payload starts with 1");
        props.put(ArenaflowConfig.ERROR_MESSAGE_MAX_CHARS, "100");
        props.put("plugin.failing.retry.backoff", "100ms");
        props.put("plugin.failing.retry.jitter", "0");
        props.put("plugin.failing.retry.max.attempts", "2");
        ArenaflowConfig config = new ArenaflowConfig(props);
        List<PluginSpec> plugins = PluginCatalog.load(getClass().getClassLoader()).select(config);
        driver = new TopologyTestDriver(ArenaflowTopology.build(config, plugins, registry.serializer()),
                ArenaflowTopology.streamsProperties(props));
        input = driver.createInputTopic("raw-events", new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void shouldApplySessionSemanticsOverInterleavedSources() {
        send("a", 1, SESSION_TYPE, 10);
        send("b", 100, SESSION_TYPE, 1);
        send("a", 4, SESSION_TYPE, 10);
        send("b", 100, SESSION_TYPE, 1);
        send("a", 2, SESSION_TYPE, 10);
        send("b", 101, SESSION_TYPE, 3);

        List<SessionSnapshot> out = snapshots("snapshots.session");

        assertThat(out).extracting(s -> s.getMeta().getSource()).containsExactly("a", "b", "a", "b", "a", "b");
        assertThat(out).extracting(SessionSnapshot::getCount).containsExactly(1L, 1L, 2L, 1L, 2L, 2L);
        assertThat(out).extracting(SessionSnapshot::getGaps).containsExactly(0L, 0L, 2L, 0L, 2L, 0L);
        assertThat(out).extracting(SessionSnapshot::getDuplicates).containsExactly(0L, 0L, 0L, 1L, 1L, 1L);
        assertThat(out).extracting(SessionSnapshot::getLastSequence).containsExactly(1L, 100L, 4L, 100L, 4L, 101L);
        assertThat(out).extracting(SessionSnapshot::getTotalPayloadBytes).containsExactly(10L, 1L, 20L, 1L, 20L, 4L);
        assertThat(out).extracting(s -> s.getMeta().getInputOffset()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void shouldKeySnapshotsBySourceAndWriteConfluentWireFormat() {
        send("dev-é", 1, SESSION_TYPE, 1);

        var raw = driver.createOutputTopic("snapshots.session", new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readRecord();

        assertThat(new String(raw.key(), StandardCharsets.UTF_8)).isEqualTo("dev-é");
        assertThat(raw.value()[0]).isZero();
        int schemaId = java.nio.ByteBuffer.wrap(raw.value(), 1, 4).getInt();
        assertThat(schemaId).isEqualTo(registry.idOf("snapshots.session-value"));
    }

    @Test
    void shouldDispatchByTypeOneSnapshotPerRecordPerAcceptingPlugin() {
        send("a", 1, SESSION_TYPE, 1);
        send("a", 2, TYPED_TYPE, 3);
        send("b", 1, TYPED_TYPE, 4);
        send("a", 3, 1234, 1);

        List<SessionSnapshot> session = snapshots("snapshots.session");
        List<SessionSnapshot> typed = snapshots("snapshots.typed");

        assertThat(session).extracting(s -> s.getMeta().getInputOffset()).containsExactly(0L, 1L, 2L, 3L);
        assertThat(session).allSatisfy(s -> assertThat(s.getMeta().getPlugin()).isEqualTo("session"));
        assertThat(typed).extracting(s -> s.getMeta().getInputOffset()).containsExactly(1L, 2L);
        assertThat(typed).extracting(SessionSnapshot::getCount).containsExactly(3L, 4L);
        assertThat(typed).allSatisfy(s -> assertThat(s.getMeta().getPlugin()).isEqualTo("typed"));
        assertThat(typed).allSatisfy(s -> assertThat(s.getMeta().getType()).isEqualTo(TYPED_TYPE));
        assertThat(typed).allSatisfy(s -> assertThat(s.getMeta().getAttempt()).isEqualTo(1));
    }

    @Test
    void shouldSendMalformedRecordToDecodeDlqUntouchedAndKeepRunning() {
        byte[] value = RawRecordWriter.encode(SESSION_TYPE, 1L, 1L, "a", new byte[] {1, 2}, true);
        value[value.length - 1] ^= 0x01;
        Headers headers = new RecordHeaders().add("trace-id", "t-1".getBytes(StandardCharsets.UTF_8));
        input.pipeInput(new TestRecord<>("a".getBytes(StandardCharsets.UTF_8), value, headers));
        send("a", 2, SESSION_TYPE, 1);

        TestRecord<byte[], byte[]> dead = deadLetters("arenaflow.dlq.decode").get(0);

        assertThat(dead.key()).isEqualTo("a".getBytes(StandardCharsets.UTF_8));
        assertThat(dead.value()).isEqualTo(value);
        assertThat(text(dead, "trace-id")).isEqualTo("t-1");
        assertThat(text(dead, DeadLetterHeaders.ERROR_CODE)).isEqualTo("BAD_CHECKSUM");
        assertThat(text(dead, DeadLetterHeaders.ERROR_MESSAGE)).contains("BAD_CHECKSUM");
        assertThat(text(dead, DeadLetterHeaders.ERROR_CLASS)).endsWith("RawRecordDecodeException");
        assertThat(text(dead, DeadLetterHeaders.PLUGIN)).isEqualTo("decode");
        assertThat(text(dead, DeadLetterHeaders.ATTEMPT)).isEqualTo("1");
        assertThat(text(dead, DeadLetterHeaders.ORIGIN_TOPIC)).isEqualTo("raw-events");
        assertThat(text(dead, DeadLetterHeaders.ORIGIN_PARTITION)).isEqualTo("0");
        assertThat(text(dead, DeadLetterHeaders.ORIGIN_OFFSET)).isEqualTo("0");
        assertThat(Long.parseLong(text(dead, DeadLetterHeaders.FIRST_FAILURE_MS))).isPositive();
        assertThat(snapshots("snapshots.session")).extracting(s -> s.getMeta().getInputOffset()).containsExactly(1L);
    }

    @Test
    void shouldSendEveryKindOfMalformedRecordToDecodeDlqWithItsCode() {
        byte[] valid = RawRecordWriter.encode(SESSION_TYPE, 1L, 1L, "src", new byte[] {9}, false);
        byte[] badVersion = valid.clone();
        badVersion[1] = 2;
        byte[] trailing = Arrays.copyOf(valid, valid.length + 1);
        input.pipeInput(new TestRecord<byte[], byte[]>((byte[]) null, (byte[]) null));
        input.pipeInput(new byte[0], new byte[] {0x00});
        input.pipeInput(new byte[0], badVersion);
        input.pipeInput(new byte[0], Arrays.copyOf(valid, 10));
        input.pipeInput(new byte[0], trailing);

        assertThat(deadLetters("arenaflow.dlq.decode")).extracting(r -> text(r, DeadLetterHeaders.ERROR_CODE))
                .containsExactly("EMPTY", "BAD_MAGIC", "BAD_VERSION", "TRUNCATED", "TRAILING_BYTES");
        assertThat(driver.producedTopicNames()).doesNotContain("snapshots.session");
    }

    @Test
    void shouldSendPluginRejectionToItsDlqWithoutAffectingOtherPlugins() {
        sendPayload("a", 1, FAILING_TYPE, new byte[] {FailingPlugin.REJECT});
        sendPayload("a", 2, FAILING_TYPE, new byte[] {0x07});

        TestRecord<byte[], byte[]> dead = deadLetters("arenaflow.dlq.failing").get(0);

        assertThat(text(dead, DeadLetterHeaders.ERROR_CODE)).isEqualTo("REJECTED");
        assertThat(text(dead, DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("rejected: payload starts with 1");
        assertThat(text(dead, DeadLetterHeaders.PLUGIN)).isEqualTo("failing");
        assertThat(text(dead, DeadLetterHeaders.ORIGIN_OFFSET)).isEqualTo("0");
        assertThat(snapshots("snapshots.failing")).extracting(s -> s.getMeta().getInputOffset()).containsExactly(1L);
        assertThat(snapshots("snapshots.session")).hasSize(2);
    }

    @Test
    void shouldRetryPluginExceptionThenDeadLetterItWithClassAndBoundedMessage() {
        byte[] value = RawRecordWriter.encode(FAILING_TYPE, 1L, 1L, "a", new byte[] {FailingPlugin.THROW}, false);
        input.pipeInput("a".getBytes(StandardCharsets.UTF_8), value);

        TestRecord<byte[], byte[]> retry = deadLetters("arenaflow.retry.failing.100ms").get(0);
        assertThat(retry.value()).isEqualTo(value);
        assertThat(text(retry, DeadLetterHeaders.ERROR_CODE)).isEqualTo("PLUGIN_EXCEPTION");
        assertThat(text(retry, DeadLetterHeaders.ERROR_CLASS)).isEqualTo(IllegalArgumentException.class.getName());
        assertThat(text(retry, DeadLetterHeaders.ERROR_MESSAGE)).startsWith("boom xxx").hasSize(100).endsWith("...");
        assertThat(deadLetters("arenaflow.dlq.failing")).isEmpty();

        driver.advanceWallClockTime(java.time.Duration.ofMillis(200));

        TestRecord<byte[], byte[]> dead = deadLetters("arenaflow.dlq.failing").get(0);
        assertThat(dead.value()).isEqualTo(value);
        assertThat(text(dead, DeadLetterHeaders.ERROR_CODE)).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(text(dead, DeadLetterHeaders.ATTEMPT)).isEqualTo("2");
        assertThat(text(dead, DeadLetterHeaders.ERROR_CLASS)).isEqualTo(IllegalArgumentException.class.getName());
        assertThat(text(dead, DeadLetterHeaders.ERROR_MESSAGE)).startsWith("attempt 2 of 2 failed: PLUGIN_EXCEPTION: boom")
                .hasSize(100).endsWith("...");
        assertThat(snapshots("snapshots.session")).hasSize(1);
    }

    @Test
    void shouldSendSnapshotWithoutMetaAndMissingOutcomeToDlq() {
        sendPayload("a", 1, FAILING_TYPE, new byte[] {FailingPlugin.NO_META});
        sendPayload("a", 2, FAILING_TYPE, new byte[] {FailingPlugin.NO_OUTCOME});

        assertThat(deadLetters("arenaflow.dlq.failing")).extracting(r -> text(r, DeadLetterHeaders.ERROR_CODE))
                .containsExactly("SNAPSHOT_WITHOUT_META", "NULL_OUTCOME");
        assertThat(driver.producedTopicNames()).doesNotContain("snapshots.failing");
    }

    @Test
    void shouldFailLoudlyWhenPluginUsesViewAfterItsCallReturned() {
        send("a", 1, LEAKY_TYPE, 1);

        assertThatThrownBy(() -> LeakyPlugin.kept.sequence())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after");
    }

    @Test
    void shouldWriteNothingToArenaChangelogsForSyncPlugins() {
        for (int i = 0; i < 50; i++) {
            send("s" + (i % 5), i, i % 2 == 0 ? SESSION_TYPE : TYPED_TYPE, 8);
        }
        sendPayload("a", 1, FAILING_TYPE, new byte[] {FailingPlugin.REJECT});

        assertThat(snapshots("snapshots.session")).hasSize(51);
        assertThat(driver.producedTopicNames()).contains("arenaflow-test-state-session-changelog");
        assertThat(driver.producedTopicNames()).noneMatch(topic -> topic.contains("arena-"));
    }

    private void send(String source, long sequence, int type, int payloadBytes) {
        sendPayload(source, sequence, type, new byte[payloadBytes]);
    }

    private void sendPayload(String source, long sequence, int type, byte[] payload) {
        byte[] key = source.getBytes(StandardCharsets.UTF_8);
        input.pipeInput(key, RawRecordWriter.encode(type, sequenceTime++, sequence, source, payload, true));
    }

    private List<SessionSnapshot> snapshots(String topic) {
        TestOutputTopic<byte[], SessionSnapshot> out = driver.createOutputTopic(topic, new ByteArrayDeserializer(),
                registry.deserializer());
        return out.readValuesToList();
    }

    private List<TestRecord<byte[], byte[]>> deadLetters(String topic) {
        return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList();
    }

    private static String text(TestRecord<byte[], byte[]> record, String header) {
        return DeadLetterHeaders.text(record.headers(), header);
    }
}
