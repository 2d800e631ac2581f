package dev.arenaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.cli.io.ShutdownSignal;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.record.RawRecordWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

// A regression may loop forever (a mock consumer never blocks); fail instead of hanging the build.
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProduceCommandTest {

    private static final String BOOTSTRAP = "--bootstrap-server=localhost:9092";
    private static final String LINE_42 = "{\"type\":7,\"eventTime\":1764000000123,\"sequence\":42,\"source\":\"dev-1\","
            + "\"payload\":\"AQIDBAU=\"}";
    private static final String LINE_43 = "{\"type\":9,\"eventTime\":-5,\"sequence\":43,\"source\":\"東-2\","
            + "\"payload\":\"\",\"checksum\":false}";

    private final MockKafkaClients clients = new MockKafkaClients();

    @TempDir
    Path dir;

    private CommandRun produce(String stdin, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "produce";
        System.arraycopy(args, 0, all, 1, args.length);
        return MockedRun.run(clients, stdin, all);
    }

    @Test
    void shouldSendJsonLinesAsRawRecordsKeyedBySource() {
        CommandRun run = produce(LINE_42 + "\n" + LINE_43 + "\n", BOOTSTRAP);

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).isEmpty();
        List<ProducerRecord<byte[], byte[]>> sent = clients.producer.history();
        assertThat(sent).hasSize(2).allSatisfy(record -> assertThat(record.topic()).isEqualTo("raw-events"));
        assertThat(sent.get(0).key()).isEqualTo("dev-1".getBytes(StandardCharsets.UTF_8));
        assertThat(sent.get(0).value()).isEqualTo(RawRecordWriter.encode(7, 1764000000123L, 42, "dev-1",
                new byte[] {1, 2, 3, 4, 5}, true));
        assertThat(sent.get(1).key()).isEqualTo("東-2".getBytes(StandardCharsets.UTF_8));
        assertThat(sent.get(1).value()).isEqualTo(RawRecordWriter.encode(9, -5, 43, "東-2", new byte[0], false));
        assertThat(run.stderr()).contains("produced 2 records to raw-events").contains("0 failed").contains("0 lines skipped");
        assertThat(clients.producer.flushed()).isTrue();
        assertThat(clients.producer.closed()).isTrue();
    }

    @Test
    void shouldProduceTheDesignExampleByteForByte() {
        produce(LINE_42, BOOTSTRAP, "--topic", "other");

        assertThat(clients.producer.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo("other");
            assertThat(record.value()).isEqualTo(java.util.HexFormat.of().parseHex("a50100070001" + "0000019ab697e87b"
                    + "000000000000002a" + "0005" + "6465762d31" + "00000005" + "0102030405" + "1d871d1f"));
        });
    }

    @Test
    void shouldReportAndSkipBadLinesThenExitWithOne() {
        CommandRun run = produce(LINE_42 + "\nnot json\n\n" + LINE_42.replace("42,", "-1,") + "\n" + LINE_43, BOOTSTRAP);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(clients.producer.history()).hasSize(2);
        assertThat(run.stderr().lines().filter(line -> line.startsWith("line "))).containsExactly(
                "line 2: not valid JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object "
                        + "or token 'null', 'true' or 'false')",
                "line 4: \"sequence\" must be an integer of at least 0 but was -1");
        assertThat(run.stderr()).contains("produced 2 records").contains("2 lines skipped");
    }

    @Test
    void shouldProduceGeneratedRecordsKeyedBySource() {
        CommandRun run = produce("", BOOTSTRAP, "--generate", "200", "--sources", "3", "--seed", "7",
                "--malformed-rate", "0.1", "--payload-bytes", "16", "--type", "12");

        assertThat(run.exitCode()).isZero();
        List<ProducerRecord<byte[], byte[]>> sent = clients.producer.history();
        assertThat(sent).hasSize(200);
        assertThat(sent).extracting(record -> new String(record.key(), StandardCharsets.UTF_8)).containsOnly(
                "sensor-001", "sensor-002", "sensor-003");
        RawRecordView view = new RawRecordView();
        long valid = sent.stream().filter(record -> view.wrap(record.value()).isValid()).count();
        assertThat(valid).isBetween(160L, 195L);
        assertThat(run.stderr()).contains("produced 200 records").contains("generated with seed 7")
                .doesNotContain("lines skipped");
    }

    @Test
    void shouldGenerateTheSameStreamForTheSameSeedApartFromEventTimes() {
        produce("", BOOTSTRAP, "--generate", "30", "--seed", "3", "--interleave", "round-robin");
        List<byte[]> first = clients.producer.history().stream().map(ProducerRecord::key).toList();
        clients.producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

        produce("", BOOTSTRAP, "--generate", "30", "--seed", "3", "--interleave", "round-robin");

        assertThat(clients.producer.history().stream().map(ProducerRecord::key).toList())
                .usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(first);
        assertThat(new String(first.get(10), StandardCharsets.UTF_8)).isEqualTo("sensor-001");
    }

    @Test
    void shouldCountFailedSendsAndExitWithOne() {
        clients.producer = failingEveryOther(new TimeoutException("broker gone"));

        CommandRun run = produce("", BOOTSTRAP, "--generate", "10");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("send failed: TimeoutException: broker gone")
                .contains("produced 5 records").contains("5 failed");
    }

    @Test
    void shouldStopAtTheFirstAuthorizationFailure() {
        clients.producer = failingEveryOther(new TopicAuthorizationException("not allowed"));

        CommandRun run = produce("", BOOTSTRAP, "--generate", "1000");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(clients.producer.history()).hasSize(2);
        assertThat(run.stderr()).contains("stopped after a fatal error").contains("1 failed");
    }

    @Test
    void shouldStopCleanlyOnCtrlCAfterFlushing() {
        ShutdownSignal signal = ShutdownSignal.manual();
        clients.producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                Future<RecordMetadata> future = super.send(record, callback);
                if (history().size() == 5) {
                    signal.request();
                }
                return future;
            }
        };

        CommandRun run = MockedRun.run(clients, signal, "", "produce", BOOTSTRAP, "--generate", "1000");

        assertThat(clients.producer.history()).hasSize(5);
        assertThat(clients.producer.flushed()).isTrue();
        assertThat(clients.producer.closed()).isTrue();
        assertThat(run.stderr()).contains("stopped: produced 5 records");
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void shouldPassTheConfigFileToTheProducerWithoutLoggingSecrets() throws IOException {
        Path config = dir.resolve("client.properties");
        Files.writeString(config, "bootstrap.servers=broker:9093\nsecurity.protocol=SASL_SSL\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required password=\"s3cret\";\n"
                + "linger.ms=50\n");

        CommandRun run = produce(LINE_42, "--config", config.toString(), "-X", "linger.ms=20", "-Xclient.id=me");

        assertThat(run.exitCode()).isZero();
        assertThat(clients.producerConfig)
                .containsEntry("bootstrap.servers", "broker:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("linger.ms", "20")
                .containsEntry("client.id", "me")
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("value.serializer", ByteArraySerializer.class.getName());
        assertThat(run.stderr()).doesNotContain("s3cret");
    }

    @Test
    void shouldLetTheBootstrapOptionOverrideTheConfigFile() throws IOException {
        Path config = dir.resolve("client.properties");
        Files.writeString(config, "bootstrap.servers=broker:9093\n");

        produce(LINE_42, "--config", config.toString(), BOOTSTRAP);

        assertThat(clients.producerConfig).containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("linger.ms", "5");
    }

    @Test
    void shouldRequireABootstrapServer() {
        CommandRun run = produce(LINE_42);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--bootstrap-server is required unless bootstrap.servers is set");
        assertThat(clients.producerConfig).isNull();
    }

    @Test
    void shouldNameAMissingConfigFile() {
        CommandRun run = produce(LINE_42, "--config", dir.resolve("nope.properties").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("cannot read --config").contains("nope.properties");
    }

    @Test
    void shouldRejectGeneratorOptionsWithoutGenerate() {
        CommandRun run = produce(LINE_42, BOOTSTRAP, "--sources", "3");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--sources needs --generate");
    }

    @Test
    void shouldRejectBadGeneratorSettingsNamingTheValue() {
        assertThat(produce("", BOOTSTRAP, "--generate", "5", "--gap-rate", "1.5").stderr())
                .contains("gap rate must be in 0..1 but was 1.5");
        assertThat(produce("", BOOTSTRAP, "--generate", "0").stderr())
                .contains("--generate must be at least 1 but was 0");
        assertThat(produce("", BOOTSTRAP, "--generate", "5", "--interleave", "zigzag").stderr())
                .contains("--interleave must be random or round-robin but was zigzag");
        assertThat(produce("", BOOTSTRAP, "--rate", "-1").stderr()).contains("--rate must be at least 0 but was -1.0");
    }

    @Test
    void shouldHonourTheRate() {
        VirtualTime time = new VirtualTime();

        CommandRun run = MockedRun.run(clients, ShutdownSignal.manual(), time, "", "produce", BOOTSTRAP,
                "--generate", "6", "--rate", "20");

        assertThat(run.exitCode()).isZero();
        assertThat(clients.producer.history()).hasSize(6);
        // 20 per second: 50 ms between two records, five times between six.
        assertThat(time.slept()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void shouldDescribeInputAndExitStatusInHelp() {
        CommandRun run = produce("", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("Usage: arenaflow produce").contains("\"payload\":\"<base64>\"")
                .contains("--generate").contains("--malformed-rate").contains("Exit status");
    }

    private static MockProducer<byte[], byte[]> failingEveryOther(RuntimeException failure) {
        return new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                Future<RecordMetadata> future = super.send(record, callback);
                if (history().size() % 2 == 0) {
                    errorNext(failure);
                } else {
                    completeNext();
                }
                return future;
            }
        };
    }
}
