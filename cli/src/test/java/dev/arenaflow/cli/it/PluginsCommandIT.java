package dev.arenaflow.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arenaflow.cli.ArenaflowCommand;
import dev.arenaflow.local.LocalKafka;
import dev.arenaflow.topology.control.PluginControl;
import dev.arenaflow.topology.control.PluginStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code arenaflow plugins} against a real KRaft broker, run in-process as {@code bin/arenaflow}
 * runs it; what it writes is read back with a plain consumer. Only the broker is needed: no
 * application runs, so status records are written by hand as a running task would write them.
 * Each test has its own control and status topics.
 */
// Guards against a hang only (a read that never reaches its end offset); no step is timed.
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PluginsCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private static Path work;
    private static LocalKafka kafka;

    private Path settings;
    private String control;
    private String status;

    @BeforeAll
    static void startBroker() throws Exception {
        work = Files.createTempDirectory("arenaflow-plugins-it-");
        kafka = LocalKafka.start(work.resolve("kafka"));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @BeforeEach
    void writeSettings(TestInfo test) throws IOException {
        String name = test.getTestMethod().orElseThrow().getName();
        control = name + ".control";
        status = name + ".status";
        settings = Files.writeString(work.resolve(name + ".properties"), String.join("\n",
                "application.id=plugins-it",
                "bootstrap.servers=" + kafka.bootstrapServers(),
                "arenaflow.registry.url=http://127.0.0.1:1/apis/registry/v2",
                "arenaflow.plugins=session,enrich",
                "plugin.enrich.url.template=http://lookup:8080/sources/{source}",
                "arenaflow.control.topic=" + control,
                "arenaflow.status.topic=" + status), StandardCharsets.UTF_8);
    }

    @Test
    void shouldPauseSetAndResumeWithTheLatestRecordKeepingTheOverride() throws Exception {
        Run pause = plugins("pause", "enrich", "--reason", "lookup maintenance", "--by", "it");
        Run set = plugins("set", "enrich", "request.timeout.ms=5000");
        Run resume = plugins("resume", "enrich", "--by", "it");

        assertThat(List.of(pause, set, resume)).allSatisfy(run -> assertThat(run.exitCode).as(run.stderr).isZero());
        assertThat(pause.stderr).contains("created the control topic " + control + " (compacted, 1 partition)");
        assertThat(set.stderr).doesNotContain("created");
        assertControlTopicIsCompactedWithOnePartition();

        List<ConsumerRecord<byte[], byte[]>> records = readAll(control);
        assertThat(records).extracting(r -> text(r.key())).containsExactly("enrich", "enrich", "enrich");
        PluginControl paused = PluginControl.fromJson(records.get(0).value());
        PluginControl overridden = PluginControl.fromJson(records.get(1).value());
        PluginControl resumed = PluginControl.fromJson(latest(records, "enrich"));
        assertThat(paused.state()).isEqualTo(PluginControl.State.PAUSED);
        assertThat(paused.reason()).isEqualTo("lookup maintenance");
        assertThat(overridden.state()).isEqualTo(PluginControl.State.PAUSED);
        assertThat(overridden.config()).containsExactly(Map.entry("request.timeout.ms", "5000"));
        assertThat(overridden.by()).endsWith("@" + InetAddress.getLocalHost().getHostName());
        assertThat(json(latest(records, "enrich"))).isEqualTo(json(("{\"state\":\"enabled\",\"config\":"
                + "{\"request.timeout.ms\":\"5000\"},\"by\":\"it\",\"at\":" + resumed.atMs() + "}")
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(resumed.atMs()).isGreaterThanOrEqualTo(paused.atMs());
        assertThat(resume.stdout).contains("wrote enrich ").contains(" to " + control + " (partition 0, offset 2)");
    }

    @Test
    void shouldSayTheTopicsHaveNoRecordsYetBeforeAnythingWasWritten() {
        Run list = plugins("list");

        assertThat(list.exitCode).as(list.stderr).isZero();
        assertThat(list.stdout).contains("session  enabled (default)")
                .contains(control + " does not exist yet").contains(status + " does not exist yet");
    }

    @Test
    void shouldListTheWantedStateAndWhatATaskReported() throws Exception {
        assertThat(plugins("disable", "session", "--reason", "not needed", "--by", "it").exitCode).isZero();
        createCompacted(status);
        PluginStatus reported = new PluginStatus("session", "plugins-it", "0_1", PluginControl.State.DISABLED, null, 0,
                1_764_000_000_000L);
        PluginStatus stale = new PluginStatus("session", "plugins-it", "0_0", PluginControl.State.ENABLED,
                "config rejected: setting 'x'", 0, 1_764_000_000_000L);
        send(status, stale.key(), stale.toJson());
        send(status, reported.key(), reported.toJson());

        Run table = plugins("list");
        Run lines = plugins("--json");

        assertThat(table.exitCode).as(table.stderr).isZero();
        assertThat(table.stdout).containsPattern("session +disabled +- +1 disabled, 1 enabled \\(1 with problems\\) +"
                + "\\S+ by it: not needed")
                .containsPattern("session/plugins-it/0_0 +enabled \\(wanted: disabled\\) +2025-11-24T16:00:00Z +"
                        + "config rejected: setting 'x'")
                .containsPattern("session/plugins-it/0_1 +disabled +2025-11-24T16:00:00Z +-")
                .doesNotContain("does not exist");
        JsonNode session = json(lines.stdout.lines().findFirst().orElseThrow().getBytes(StandardCharsets.UTF_8));
        assertThat(session.get("wanted").asText()).isEqualTo("disabled");
        assertThat(session.get("tasks")).hasSize(2);
        assertThat(session.get("tasks").get(1).get("task").asText()).isEqualTo("0_1");
    }

    @Test
    void shouldResetWithATombstone() throws Exception {
        assertThat(plugins("set", "enrich", "max.concurrent.requests=8").exitCode).isZero();

        Run reset = plugins("reset", "enrich");

        assertThat(reset.exitCode).as(reset.stderr).isZero();
        List<ConsumerRecord<byte[], byte[]>> records = readAll(control);
        assertThat(records).hasSize(2);
        assertThat(text(records.get(1).key())).isEqualTo("enrich");
        assertThat(records.get(1).value()).isNull();
        assertThat(plugins("list").stdout).contains("enrich   enabled (default)");
    }

    @Test
    void shouldRefuseAReservedSettingWithoutWritingAnything() throws Exception {
        Run run = plugins("set", "enrich", "max.in.flight=5");

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.stderr).contains("max.in.flight").contains("restart");
        try (Admin admin = kafka.admin()) {
            assertThat(admin.listTopics().names().get()).doesNotContain(control);
        }
    }

    private void assertControlTopicIsCompactedWithOnePartition() throws Exception {
        try (Admin admin = kafka.admin()) {
            assertThat(admin.describeTopics(List.of(control)).allTopicNames().get().get(control).partitions())
                    .hasSize(1);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, control);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
        }
    }

    private Run plugins(String... args) {
        List<String> all = new ArrayList<>(List.of("plugins"));
        all.addAll(List.of(args));
        all.addAll(List.of("--config", settings.toString()));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        StringWriter stderr = new StringWriter();
        CommandLine cli = new CommandLine(new ArenaflowCommand(new ByteArrayInputStream(new byte[0]),
                new PrintStream(stdout, true, StandardCharsets.UTF_8)));
        cli.setErr(new PrintWriter(stderr, true));
        int exitCode = cli.execute(all.toArray(String[]::new));
        return new Run(exitCode, stdout.toString(StandardCharsets.UTF_8), stderr.toString());
    }

    private record Run(int exitCode, String stdout, String stderr) {
    }

    private static void createCompacted(String topic) throws Exception {
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void send(String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
        }
    }

    /** Every record of a one-partition topic, read to its end offset with a plain consumer. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            while (consumer.position(partition) < end) {
                consumer.poll(READ_TIMEOUT).forEach(records::add);
            }
            return records;
        }
    }

    private static byte[] latest(List<ConsumerRecord<byte[], byte[]>> records, String key) {
        Map<String, byte[]> latest = new LinkedHashMap<>();
        records.forEach(r -> latest.put(text(r.key()), r.value()));
        return latest.get(key);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static JsonNode json(byte[] value) throws IOException {
        return JSON.readTree(value);
    }
}
