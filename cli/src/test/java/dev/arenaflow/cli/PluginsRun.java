package dev.arenaflow.cli;

import dev.arenaflow.cli.plugins.PluginsContext;
import dev.arenaflow.cli.plugins.TopicCreator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import picocli.CommandLine;

/**
 * Runs {@code arenaflow plugins} once in-process over mock Kafka clients, a clock stopped at
 * {@link #NOW}, the user {@code alice} on host {@code ops-1}, and topics given as single
 * partitions with their records.
 */
final class PluginsRun {

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    final MockKafkaClients clients = new MockKafkaClients();
    final List<String> createdTopics = new ArrayList<>();
    final Map<String, String> environment = new HashMap<>(Map.of("USER", "alice"));
    RuntimeException createFailure;
    private final Map<String, List<ConsumerRecord<byte[], byte[]>>> topics = new HashMap<>();

    /** A record of a topic, as text; a null value is a tombstone. */
    record Rec(String key, String value) {
    }

    static Rec rec(String key, String value) {
        return new Rec(key, value);
    }

    /** Makes a one-partition topic exist, holding these records at offsets 0, 1, ... */
    PluginsRun topic(String topic, Rec... records) {
        List<ConsumerRecord<byte[], byte[]>> list = topics.computeIfAbsent(topic, t -> new ArrayList<>());
        for (Rec r : records) {
            list.add(new ConsumerRecord<>(topic, 0, list.size(), 0L, TimestampType.CREATE_TIME, -1, -1,
                    bytes(r.key()), bytes(r.value()), new RecordHeaders(), Optional.empty()));
        }
        return this;
    }

    CommandRun run(String... args) {
        topics.forEach(this::prepare);
        clients.consumer.schedulePollTask(() -> topics.values().forEach(list -> list.forEach(clients.consumer::addRecord)));
        TopicCreator creator = (topic, adminConfig, timeout) -> {
            if (createFailure != null) {
                throw createFailure;
            }
            createdTopics.add(topic);
            return true;
        };
        PluginsContext context = new PluginsContext(clients, creator, environment,
                Clock.fixed(NOW, ZoneOffset.UTC), () -> "ops-1");
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == PluginsCommand.class ? type.cast(new PluginsCommand(context))
                        : CommandLine.defaultFactory().create(type);
            }
        };
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        CommandLine commandLine = new CommandLine(new ArenaflowCommand(new ByteArrayInputStream(new byte[0]),
                new PrintStream(stdout, true, StandardCharsets.UTF_8)), factory);
        StringWriter stderr = new StringWriter();
        StringWriter help = new StringWriter();
        commandLine.setErr(new PrintWriter(stderr, true));
        commandLine.setOut(new PrintWriter(help, true));
        int exitCode = commandLine.execute(args);
        return new CommandRun(exitCode, help + stdout.toString(StandardCharsets.UTF_8), stderr.toString());
    }

    /** @return the values written, in order, as text; null for a tombstone */
    List<String> writtenValues() {
        return clients.producer.history().stream()
                .map(r -> r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    private void prepare(String topic, List<ConsumerRecord<byte[], byte[]>> records) {
        Node node = new Node(0, "localhost", 9092);
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.consumer.updatePartitions(topic, List.of(new PartitionInfo(topic, 0, node, new Node[] {node},
                new Node[] {node})));
        clients.consumer.updateBeginningOffsets(Map.of(partition, 0L));
        clients.consumer.updateEndOffsets(Map.of(partition, (long) records.size()));
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
