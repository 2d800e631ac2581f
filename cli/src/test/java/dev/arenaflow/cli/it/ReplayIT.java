package dev.arenaflow.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.cli.it.support.CliProcess;
import dev.arenaflow.local.LocalKafka;
import dev.arenaflow.topology.DeadLetterHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code arenaflow replay} against a real KRaft broker, run as a user runs it: its own JVM, with
 * the settings file of an application whose plugin {@code session} retries after 5s, then 1m.
 * Five dead letters: two TIMEOUTs to replay, one HTTP_500, one TIMEOUT already replayed three
 * times, and one TIMEOUT without origin headers. No arenaflow application runs.
 */
class ReplayIT {

    private static final long T0 = 1_764_000_000_000L;

    private static Path work;
    private static LocalKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        work = Files.createTempDirectory("arenaflow-replay-it-");
        kafka = LocalKafka.start(work.resolve("kafka"));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The topics and settings of one test, named after it so that tests share nothing but the broker. */
    private record Scenario(String id, Path settings, List<ProducerRecord<byte[], byte[]>> deadLetters) {

        String dlq() {
            return id + ".dlq.session";
        }

        String firstRetry() {
            return id + ".retry.session.5s";
        }

        String secondRetry() {
            return id + ".retry.session.1m";
        }

        ProducerRecord<byte[], byte[]> deadLetter(int partition, long offset) {
            return deadLetters.stream().filter(r -> r.partition() == partition && offsetOf(r) == offset)
                    .findFirst().orElseThrow();
        }
    }

    @Test
    void shouldListWhatWouldMoveAndWriteNothingInADryRun() throws Exception {
        Scenario scenario = scenario("dry");

        CliRun run = replay(scenario, "--dry-run");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        // Partitions come in the order the consumer fetched them; within one, lines follow the offsets.
        assertThat(run.actions()).containsExactlyInAnyOrder(
                "0@0 would-replay", "0@1 would-replay", "1@0 kept", "1@1 skipped", "1@2 would-replay");
        assertThat(run.actions()).filteredOn(a -> a.startsWith("1@")).containsExactly("1@0 kept", "1@1 skipped",
                "1@2 would-replay");
        assertThat(run.stderr()).contains("dry run: nothing written");
        assertThat(endOffsets(scenario.firstRetry())).containsOnly(0L);
        assertThat(endOffsets(scenario.secondRetry())).containsOnly(0L);
    }

    @Test
    void shouldReplayExactlyTheSelectedDeadLettersIntoTheFirstRetryTopicAsAFirstAttempt() throws Exception {
        Scenario scenario = scenario("real");
        long before = System.currentTimeMillis();

        CliRun run = replay(scenario, "--error-code", "TIMEOUT");

        long after = System.currentTimeMillis();
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.actions()).containsExactlyInAnyOrder("0@0 replayed", "1@0 kept", "1@1 skipped", "1@2 replayed");
        Map<String, ConsumerRecord<byte[], byte[]>> replayed = readAll(scenario.firstRetry()).stream()
                .collect(Collectors.toMap(r -> new String(r.value(), StandardCharsets.UTF_8), r -> r));
        assertThat(replayed).containsOnlyKeys("0@0", "1@2");
        assertReplayOf(replayed.get("0@0"), scenario.deadLetter(0, 0), 1, "1", before, after);
        assertReplayOf(replayed.get("1@2"), scenario.deadLetter(1, 2), 0, "2", before, after);
        assertThat(endOffsets(scenario.secondRetry())).containsOnly(0L);
        assertThat(endOffsets(scenario.dlq())).as("dead letters stay").containsExactly(2L, 3L);
    }

    private static void assertReplayOf(ConsumerRecord<byte[], byte[]> replay, ProducerRecord<byte[], byte[]> dead,
                                       int originPartition, String replayCount, long before, long after) {
        assertThat(replay.partition()).as("origin partition").isEqualTo(originPartition);
        assertThat(replay.key()).isEqualTo(dead.key());
        assertThat(replay.value()).isEqualTo(dead.value());
        assertThat(replay.timestamp()).isEqualTo(dead.timestamp());
        assertThat(single(replay.headers(), DeadLetterHeaders.ATTEMPT)).isEqualTo("0");
        assertThat(Long.parseLong(single(replay.headers(), DeadLetterHeaders.NOT_BEFORE_MS))).isBetween(before, after);
        assertThat(single(replay.headers(), DeadLetterHeaders.REPLAY_COUNT)).isEqualTo(replayCount);
        List<String> rewritten = List.of(DeadLetterHeaders.ATTEMPT, DeadLetterHeaders.NOT_BEFORE_MS,
                DeadLetterHeaders.REPLAY_COUNT);
        assertThat(texts(replay.headers(), rewritten)).isEqualTo(texts(dead.headers(), rewritten));
    }

    // ---- the scenario --------------------------------------------------------------------------------------------

    private static Scenario scenario(String id) throws Exception {
        kafka.createTopics(Map.of(id + ".dlq.session", 2, id + ".retry.session.5s", 2, id + ".retry.session.1m", 2));
        Path settings = work.resolve(id + ".properties");
        Files.writeString(settings, String.join("\n",
                "application.id=" + id,
                "bootstrap.servers=" + kafka.bootstrapServers(),
                "arenaflow.registry.url=http://127.0.0.1:1/apis/registry/v2",
                "arenaflow.plugins=session",
                "arenaflow.dlq.topic.prefix=" + id + ".dlq.",
                "arenaflow.retry.topic.prefix=" + id + ".retry.",
                "plugin.session.retry.backoff=5s,1m"), StandardCharsets.UTF_8);
        String dlq = id + ".dlq.session";
        List<ProducerRecord<byte[], byte[]>> deadLetters = List.of(
                deadLetter(dlq, 0, 0, "TIMEOUT", 1, null),
                deadLetter(dlq, 0, 1, "HTTP_500", 0, null),
                deadLetter(dlq, 1, 0, "TIMEOUT", 0, "3"),
                withoutOrigin(deadLetter(dlq, 1, 1, "TIMEOUT", 1, null)),
                deadLetter(dlq, 1, 2, "TIMEOUT", 0, "1"));
        produce(deadLetters);
        return new Scenario(id, settings, deadLetters);
    }

    /** Offsets are 0, 1, 2 in write order per partition; the record's value names its own. */
    private static ProducerRecord<byte[], byte[]> deadLetter(String topic, int partition, long offset, String code,
                                                             int originPartition, String replayCount) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, "traceparent", "00-" + partition + offset + "-01");
        add(headers, DeadLetterHeaders.ERROR_CODE, code);
        add(headers, DeadLetterHeaders.ERROR_MESSAGE, "it failed");
        add(headers, DeadLetterHeaders.ERROR_CLASS, "dev.arenaflow.Test");
        add(headers, DeadLetterHeaders.PLUGIN, "session");
        add(headers, DeadLetterHeaders.ATTEMPT, "5");
        add(headers, DeadLetterHeaders.ORIGIN_TOPIC, "raw-events");
        add(headers, DeadLetterHeaders.ORIGIN_PARTITION, Integer.toString(originPartition));
        add(headers, DeadLetterHeaders.ORIGIN_OFFSET, Long.toString(1000 + offset));
        add(headers, DeadLetterHeaders.FIRST_FAILURE_MS, Long.toString(T0 - 60_000));
        if (replayCount != null) {
            add(headers, DeadLetterHeaders.REPLAY_COUNT, replayCount);
        }
        return new ProducerRecord<>(topic, partition, T0 + 1000 * offset, bytes("source-" + partition + "-" + offset),
                bytes(partition + "@" + offset), headers);
    }

    private static ProducerRecord<byte[], byte[]> withoutOrigin(ProducerRecord<byte[], byte[]> record) {
        record.headers().remove(DeadLetterHeaders.ORIGIN_TOPIC).remove(DeadLetterHeaders.ORIGIN_PARTITION)
                .remove(DeadLetterHeaders.ORIGIN_OFFSET);
        return record;
    }

    private static long offsetOf(ProducerRecord<byte[], byte[]> record) {
        return Long.parseLong(new String(record.value(), StandardCharsets.UTF_8).split("@")[1]);
    }

    private static void produce(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record).get();
            }
        }
    }

    // ---- reading back ------------------------------------------------------------------------------------------

    private static List<Long> endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            return partitions.stream().map(consumer.endOffsets(partitions)::get).toList();
        }
    }

    /** Every record of the topic, up to the end offsets. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition()))
                .sorted((a, b) -> Integer.compare(a.partition(), b.partition())).toList();
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    // ---- the command -------------------------------------------------------------------------------------------

    /** What one run of the command left: its exit code, standard output lines and standard error. */
    private record CliRun(int exitCode, List<String> lines, String stderr) {

        /** @return "partition@offset action" of each line, in order */
        List<String> actions() {
            return lines.stream().map(line -> field(line, "partition") + "@" + field(line, "offset") + " "
                    + field(line, "action").replace("\"", "")).toList();
        }

        private static String field(String json, String name) {
            String rest = json.substring(json.indexOf("\"" + name + "\":") + name.length() + 3);
            return rest.substring(0, rest.indexOf(','));
        }
    }

    /** Runs {@code arenaflow replay} in its own JVM. */
    private static CliRun replay(Scenario scenario, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("replay", "--config", scenario.settings().toString(),
                "--plugin", "session"));
        command.addAll(List.of(args));
        CliProcess.Result result = CliProcess.run(work, scenario.id(), command);
        return new CliRun(result.exitCode(), result.lines(), result.stderr());
    }

    // ---- headers -----------------------------------------------------------------------------------------------

    private static String single(Headers headers, String name) {
        List<Header> all = StreamSupport.stream(headers.headers(name).spliterator(), false).toList();
        assertThat(all).as("occurrences of %s", name).hasSize(1);
        return new String(all.get(0).value(), StandardCharsets.UTF_8);
    }

    /** @return "name=value" of every header but the excluded ones, in order */
    private static List<String> texts(Headers headers, List<String> excluded) {
        return StreamSupport.stream(headers.spliterator(), false).filter(h -> !excluded.contains(h.key()))
                .map(h -> h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8))
                .collect(Collectors.toList());
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, bytes(value));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
