package dev.arenaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.cli.io.ShutdownSignal;
import dev.arenaflow.record.RawRecordWriter;
import dev.arenaflow.schemas.SessionSnapshot;
import dev.arenaflow.schemas.SnapshotMeta;
import dev.arenaflow.topology.DeadLetterHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

// A regression may loop forever (a mock consumer never blocks); fail instead of hanging the build.
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConsumeCommandTest {

    private static final String BOOTSTRAP = "--bootstrap-server=localhost:9092";
    private static final String DLQ = "arenaflow.dlq.decode";
    private static final String SNAPSHOTS = "snapshots.session";
    private static final String REGISTRY = "--registry-url=http://127.0.0.1:8080/apis/registry/v2";

    private final MockKafkaClients clients = new MockKafkaClients();

    @TempDir
    Path dir;

    private CommandRun consume(String... args) {
        return consume(ShutdownSignal.manual(), args);
    }

    private CommandRun consume(ShutdownSignal signal, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "consume";
        System.arraycopy(args, 0, all, 1, args.length);
        return MockedRun.run(clients, signal, "", all);
    }

    private void topic(String topic, int partitions) {
        Node node = new Node(0, "localhost", 9092);
        clients.consumer.updatePartitions(topic, IntStream.range(0, partitions)
                .mapToObj(p -> new PartitionInfo(topic, p, node, new Node[] {node}, new Node[] {node})).toList());
        clients.consumer.updateBeginningOffsets(IntStream.range(0, partitions).boxed()
                .collect(java.util.stream.Collectors.toMap(p -> new TopicPartition(topic, p), p -> 0L)));
    }

    private void willReceive(ConsumerRecord<byte[], byte[]> record) {
        clients.consumer.schedulePollTask(() -> clients.consumer.addRecord(record));
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, byte[] key,
                                                         byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(topic, partition, offset, 0L, TimestampType.CREATE_TIME, -1, -1, key, value,
                headers, Optional.empty());
    }

    private static ConsumerRecord<byte[], byte[]> deadLetter(long offset) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.ERROR_CODE, "BAD_CHECKSUM".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.PLUGIN, "decode".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.ORIGIN_OFFSET, Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        byte[] value = RawRecordWriter.encode(7, 1764000000123L, 42, "dev-1", new byte[] {1, 2, 3, 4, 5}, true);
        value[33] = 9;
        return record(DLQ, 0, offset, "dev-1".getBytes(StandardCharsets.UTF_8), value, headers);
    }

    private static String deadLetterLine(long offset) {
        return "{\"topic\":\"arenaflow.dlq.decode\",\"partition\":0,\"offset\":" + offset + ",\"key\":\"dev-1\","
                + "\"headers\":{\"trace\":\"t-1\",\"arenaflow.error.code\":\"BAD_CHECKSUM\",\"arenaflow.plugin\":\"decode\","
                + "\"arenaflow.origin.offset\":\"" + offset + "\"},"
                + "\"verdict\":{\"ok\":false,\"error\":\"BAD_CHECKSUM\",\"detail\":\"crc 0x1D871D1F does not match computed "
                + "0xD8E0168E\"}}";
    }

    private static SessionSnapshot snapshot(long sequence) {
        SnapshotMeta meta = new SnapshotMeta("session", "dev-1", sequence, 7, Instant.ofEpochMilli(1764000000123L),
                "raw-events", 0, 100 + sequence, 1);
        return new SessionSnapshot(meta, 1L, 5L, Instant.ofEpochMilli(1764000000123L),
                Instant.ofEpochMilli(1764000000123L), sequence, 0L, 0L);
    }

    @Test
    void shouldPrintDeadLettersWithHeadersAndVerdictAndStopAtMaxMessages() {
        topic(DLQ, 1);
        IntStream.range(0, 5).forEach(offset -> willReceive(deadLetter(offset)));

        CommandRun run = consume(BOOTSTRAP, "--topic", DLQ, "--max-messages", "3");

        assertThat(run.exitCode()).isZero();
        assertThat(run.lines()).containsExactly(deadLetterLine(0), deadLetterLine(1), deadLetterLine(2));
        assertThat(clients.consumer.closed()).isTrue();
    }

    @Test
    void shouldTreatARecordWithAnErrorHeaderOnAnyTopicAsADeadLetter() {
        topic("arenaflow.retry.enrich.5s", 1);
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.ERROR_CODE, "TIMEOUT".getBytes(StandardCharsets.UTF_8));
        byte[] value = RawRecordWriter.encode(7, 1764000000123L, 42, "dev-1", new byte[] {1, 2, 3, 4, 5}, true);
        willReceive(record("arenaflow.retry.enrich.5s", 0, 0, new byte[] {(byte) 0xFF, 0}, value, headers));

        CommandRun run = consume(BOOTSTRAP, "--topic", "arenaflow.retry.enrich.5s", "--max-messages", "1");

        assertThat(run.lines()).containsExactly("{\"topic\":\"arenaflow.retry.enrich.5s\",\"partition\":0,\"offset\":0,"
                + "\"key\":\"/wA=\",\"headers\":{\"arenaflow.error.code\":\"TIMEOUT\"},\"verdict\":{\"ok\":true,\"type\":7,"
                + "\"flags\":1,\"eventTime\":1764000000123,\"sequence\":42,\"source\":\"dev-1\",\"payloadLength\":5,"
                + "\"checksum\":true}}");
    }

    @Test
    void shouldPrintSnapshotsAsJsonWithTimesInEpochMillis() {
        topic(SNAPSHOTS, 2);
        clients.deserializer = (topic, data) -> snapshot(data[0]);
        willReceive(record(SNAPSHOTS, 1, 7, "dev-1".getBytes(StandardCharsets.UTF_8), new byte[] {42}, new RecordHeaders()));

        CommandRun run = consume(BOOTSTRAP, "--topic", SNAPSHOTS, REGISTRY, "--max-messages", "1");

        assertThat(run.exitCode()).isZero();
        assertThat(run.lines()).containsExactly("{\"topic\":\"snapshots.session\",\"partition\":1,\"offset\":7,"
                + "\"key\":\"dev-1\",\"value\":{\"meta\":{\"plugin\":\"session\",\"source\":\"dev-1\",\"sequence\":42,"
                + "\"type\":7,\"eventTime\":1764000000123,\"inputTopic\":\"raw-events\",\"inputPartition\":0,"
                + "\"inputOffset\":142,\"attempt\":1},\"count\":1,\"totalPayloadBytes\":5,"
                + "\"firstEventTime\":1764000000123,\"lastEventTime\":1764000000123,\"lastSequence\":42,\"gaps\":0,"
                + "\"duplicates\":0}}");
        assertThat(clients.deserializerSettings)
                .containsEntry("arenaflow.registry.url", "http://127.0.0.1:8080/apis/registry/v2");
    }

    @Test
    void shouldPrintAnErrorLineForAnUnreadableValueAndGoOn() {
        topic(SNAPSHOTS, 1);
        clients.deserializer = (topic, data) -> {
            if (data[0] == 0) {
                throw new SerializationException("unknown magic byte", new IllegalStateException("\"bad\""));
            }
            return snapshot(data[0]);
        };
        willReceive(record(SNAPSHOTS, 0, 0, null, new byte[] {0}, new RecordHeaders()));
        willReceive(record(SNAPSHOTS, 0, 1, null, new byte[] {3}, new RecordHeaders()));

        CommandRun run = consume(BOOTSTRAP, "--topic", SNAPSHOTS, REGISTRY, "--max-messages", "2");

        assertThat(run.exitCode()).isZero();
        assertThat(run.lines()).hasSize(2);
        assertThat(run.lines().get(0)).isEqualTo("{\"topic\":\"snapshots.session\",\"partition\":0,\"offset\":0,"
                + "\"error\":\"SerializationException: unknown magic byte; caused by IllegalStateException: \\\"bad\\\"\"}");
        assertThat(run.lines().get(1)).startsWith("{\"topic\":\"snapshots.session\",\"partition\":0,\"offset\":1,"
                + "\"key\":null,\"value\":{\"meta\":");
    }

    @Test
    void shouldSayWhenAValueIsNotInTheWireFormat() {
        topic("raw-events", 1);
        clients.deserializer = (topic, data) -> {
            throw new IllegalStateException("artifact reference cannot be null");
        };
        byte[] raw = RawRecordWriter.encode(7, 1, 1, "dev-1", new byte[0], true);
        willReceive(record("raw-events", 0, 0, null, raw, new RecordHeaders()));
        willReceive(record("raw-events", 0, 1, null, new byte[] {0, 0, 0, 0, 1}, new RecordHeaders()));

        CommandRun run = consume(BOOTSTRAP, "--topic", "raw-events", REGISTRY, "--max-messages", "2");

        assertThat(run.lines()).containsExactly(
                "{\"topic\":\"raw-events\",\"partition\":0,\"offset\":0,\"error\":\"IllegalStateException: artifact "
                        + "reference cannot be null; the value starts with 0xA5, not the wire-format magic byte 0x00 "
                        + "(0xA5 starts a Raw Record v1)\"}",
                "{\"topic\":\"raw-events\",\"partition\":0,\"offset\":1,\"error\":\"IllegalStateException: artifact "
                        + "reference cannot be null\"}");
    }

    @Test
    void shouldRequireARegistryUrlForSnapshots() {
        topic(SNAPSHOTS, 1);
        willReceive(record(SNAPSHOTS, 0, 0, null, new byte[] {0}, new RecordHeaders()));

        CommandRun run = consume(BOOTSTRAP, "--topic", SNAPSHOTS, "--max-messages", "1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--registry-url is required to read snapshot records");
        assertThat(clients.consumer.closed()).isTrue();
    }

    @Test
    void shouldStopCleanlyOnCtrlC() {
        topic(DLQ, 1);
        ShutdownSignal signal = ShutdownSignal.manual();
        willReceive(deadLetter(0));
        clients.consumer.schedulePollTask(signal::request);

        CommandRun run = consume(signal, BOOTSTRAP, "--topic", DLQ);

        assertThat(run.exitCode()).isZero();
        assertThat(run.lines()).containsExactly(deadLetterLine(0));
        assertThat(clients.consumer.closed()).isTrue();
    }

    @Test
    void shouldStopAfterTheTimeoutWithoutRecords() {
        topic(DLQ, 1);
        willReceive(deadLetter(0));

        CommandRun run = consume(BOOTSTRAP, "--topic", DLQ, "--timeout-ms", "150");

        assertThat(run.exitCode()).isZero();
        assertThat(run.lines()).containsExactly(deadLetterLine(0));
    }

    @Test
    void shouldStartAtTheEndWithNoFromBeginning() {
        topic(DLQ, 1);
        clients.consumer.updateEndOffsets(Map.of(new TopicPartition(DLQ, 0), 2L));
        IntStream.range(0, 4).forEach(offset -> willReceive(deadLetter(offset)));

        CommandRun run = consume(BOOTSTRAP, "--topic", DLQ, "--no-from-beginning", "--max-messages", "2");

        assertThat(run.lines()).containsExactly(deadLetterLine(2), deadLetterLine(3));
    }

    @Test
    void shouldStartAtTheBeginningWhenAskedExplicitly() {
        topic(DLQ, 1);
        clients.consumer.updateEndOffsets(Map.of(new TopicPartition(DLQ, 0), 2L));
        IntStream.range(0, 2).forEach(offset -> willReceive(deadLetter(offset)));

        CommandRun run = consume(BOOTSTRAP, "--topic", DLQ, "--from-beginning", "--max-messages", "2");

        assertThat(run.lines()).containsExactly(deadLetterLine(0), deadLetterLine(1));
    }

    @Test
    void shouldReadEveryPartitionWithoutAGroup() throws IOException {
        topic(DLQ, 3);
        Path config = dir.resolve("client.properties");
        Files.writeString(config, "group.id=shared\nenable.auto.commit=true\nsecurity.protocol=SSL\n"
                + "apicurio.registry.auth.password=pw\n");

        consume("--config", config.toString(), BOOTSTRAP, "--topic", DLQ, "--timeout-ms", "1",
                "--isolation", "read_uncommitted");

        assertThat(clients.consumer.assignment()).containsExactlyInAnyOrder(new TopicPartition(DLQ, 0),
                new TopicPartition(DLQ, 1), new TopicPartition(DLQ, 2));
        assertThat(clients.consumerConfig)
                .doesNotContainKey("group.id")
                .doesNotContainKey("apicurio.registry.auth.password")
                .containsEntry("enable.auto.commit", "false")
                .containsEntry("isolation.level", "read_uncommitted")
                .containsEntry("security.protocol", "SSL")
                .containsEntry("bootstrap.servers", "localhost:9092");
    }

    @Test
    void shouldReadCommittedByDefault() {
        topic(DLQ, 1);

        consume(BOOTSTRAP, "--topic", DLQ, "--timeout-ms", "1");

        assertThat(clients.consumerConfig).containsEntry("isolation.level", "read_committed");
    }

    @Test
    void shouldFailForAMissingTopic() {
        CommandRun run = consume(BOOTSTRAP, "--topic", "nope", "--timeout-ms", "1");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("topic nope does not exist");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void shouldRejectBadOptionsNamingTheValue() {
        assertThat(consume(BOOTSTRAP, "--topic", DLQ, "--isolation", "dirty").stderr())
                .contains("--isolation must be read_committed or read_uncommitted but was dirty");
        assertThat(consume(BOOTSTRAP, "--topic", DLQ, "--max-messages", "0").stderr())
                .contains("--max-messages must be at least 1 but was 0");
        assertThat(consume("--topic", DLQ).stderr()).contains("--bootstrap-server is required");
        assertThat(consume(BOOTSTRAP).stderr()).contains("Missing required option: '--topic=TOPIC'");
    }

    @Test
    void shouldDocumentTheOutputAndTimeRepresentationInHelp() {
        CommandRun run = consume("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("Usage: arenaflow consume").contains("epoch milliseconds")
                .contains("--no-from-beginning").contains("\"verdict\"");
    }
}
