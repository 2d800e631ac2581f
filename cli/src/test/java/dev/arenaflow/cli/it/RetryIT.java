package dev.arenaflow.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.cli.it.support.CliProcess;
import dev.arenaflow.cli.it.support.FlakyPlugin;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Retry topics on a real broker, under exactly-once: an async plugin fails the first k attempts
 * of some records and every attempt of others. Every record ends in exactly one place, its
 * snapshot (after k+1 attempts) or the plugin's dead-letter topic, and with ordered retry the
 * snapshots of each source come out in input order.
 */
class RetryIT {

    private static final int PARTITIONS = 3;
    private static final int SOURCES = 20;
    private static final int PER_SOURCE = 30;
    private static final int MAX_ATTEMPTS = 4;
    private static final int FLAKY_TYPE = 3;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    static final StackPerClass STACK = StackPerClass.start("arenaflow-retry-it-");

    @ParameterizedTest(name = "retry.ordered={0}")
    @ValueSource(booleans = {true, false})
    void shouldEndEveryRecordInExactlyOnePlace(boolean orderedRetry) throws Exception {
        String app = orderedRetry ? "retry-ordered" : "retry-unordered";
        STACK.kafka().createTopics(Map.of(app + ".raw", PARTITIONS));
        Properties props = settings(app, orderedRetry);
        Map<String, Integer> failuresAt = produce(app + ".raw");
        long doomed = failuresAt.values().stream().filter(k -> k == FlakyPlugin.ALWAYS).count();

        try (ArenaflowApplication application = ArenaflowApplication.create(
                ArenaflowSettings.validate(props, PluginCatalog.load(getClass().getClassLoader())),
                SnapshotSerdes.serializer(props))) {
            application.start();
            assertThat(application.awaitRunning(WAIT)).isTrue();

            List<ConsumerRecord<byte[], SessionSnapshot>> snapshots = ItApp.readAll(STACK.get(), app + ".snapshots.flaky",
                    failuresAt.size() - (int) doomed, SnapshotSerdes.deserializer(props, true));
            List<ConsumerRecord<byte[], byte[]>> dead = ItApp.readAll(STACK.get(), app + ".dlq.flaky", (int) doomed,
                    new ByteArrayDeserializer());

            assertEachRecordInExactlyOnePlace(failuresAt, snapshots, dead);
            Map<String, List<Long>> sequences = sequencesPerSource(snapshots);
            boolean inInputOrder = sequences.values().stream().allMatch(RetryIT::increasing);
            if (orderedRetry) {
                assertThat(inInputOrder).as("every source's snapshots in input order: %s", sequences).isTrue();
            } else {
                // Without ordered retry, later messages of a source overtake the one waiting for its retry.
                assertThat(inInputOrder).as("some source's snapshots out of input order").isFalse();
            }
            double lateness = latenessMillis(application, false);
            System.out.printf("RetryIT retry.ordered=%s: %d snapshots, %d dead letters, retry lateness max %.0f ms, "
                    + "avg %.1f ms%n", orderedRetry, snapshots.size(), dead.size(), lateness,
                    latenessMillis(application, true));
            // Every retry is dispatched once, through the not-before queue that measures its lateness: a
            // record failing k attempts is retried k times, a doomed one until its attempts run out.
            long retries = failuresAt.values().stream().mapToLong(k -> Math.min(k, MAX_ATTEMPTS - 1)).sum();
            assertThat(retriesDispatched(application)).as("retries dispatched").isEqualTo(retries);
        }
    }

    /**
     * Dead letters go back into the plugin with {@code replay}: a dry run moves nothing, a replay
     * of records still failing brings them back to the dead-letter topic counted as replayed, the
     * loop guard keeps those, and once the plugin is healed a replay turns each into its snapshot.
     */
    @Test
    void shouldReplayDeadLettersIntoThePluginUntilTheLoopGuardStopsThem() throws Exception {
        String app = "replay-e2e";
        STACK.kafka().createTopics(Map.of(app + ".raw", 1));
        Properties props = settings(app, false);
        Path config = STACK.workDir().resolve(app + ".properties");
        try (var out = Files.newBufferedWriter(config)) {
            props.store(out, null);
        }
        produceUntilHealed(app + ".raw", 6);
        try (ArenaflowApplication application = ArenaflowApplication.create(
                ArenaflowSettings.validate(props, PluginCatalog.load(getClass().getClassLoader())),
                SnapshotSerdes.serializer(props))) {
            application.start();
            assertThat(application.awaitRunning(WAIT)).isTrue();
            String dlq = app + ".dlq.flaky";
            String retry = app + ".retry.flaky.1s";
            assertThat(ItApp.readAll(STACK.get(), dlq, 6, new ByteArrayDeserializer())).hasSize(6)
                    .allSatisfy(r -> assertThat(header(r, DeadLetterHeaders.ERROR_CODE)).isEqualTo("NOT_HEALED"));

            CliProcess.Result dry = replay(config, "dry", "--max-replays", "1", "--dry-run");
            assertThat(dry.exitCode()).as(dry.stderr()).isZero();
            assertThat(dry.lines()).hasSize(6).allSatisfy(l -> assertThat(l).contains("\"would-replay\""));
            assertThat(ItApp.readAll(STACK.get(), retry, 0, new ByteArrayDeserializer())).isEmpty();

            CliProcess.Result first = replay(config, "first", "--max-replays", "1");
            assertThat(first.lines()).hasSize(6).allSatisfy(l -> assertThat(l).contains("\"replayed\""));
            List<ConsumerRecord<byte[], byte[]>> dead = ItApp.readAll(STACK.get(), dlq, 12, new ByteArrayDeserializer());
            assertThat(dead).hasSize(12);
            assertThat(dead.subList(6, 12)).allSatisfy(r -> {
                assertThat(header(r, DeadLetterHeaders.REPLAY_COUNT)).isEqualTo("1");
                assertThat(header(r, DeadLetterHeaders.ATTEMPT)).isEqualTo("1");
            });

            // Offsets are not 0..11: under exactly-once, transaction markers take offsets too.
            String replayedOnce = Long.toString(dead.get(6).offset());
            CliProcess.Result guarded = replay(config, "guarded", "--max-replays", "1", "--from-offset", replayedOnce);
            assertThat(guarded.lines()).hasSize(6).allSatisfy(l -> assertThat(l).contains("\"kept\""));
            assertThat(ItApp.readAll(STACK.get(), retry, 6, new ByteArrayDeserializer())).hasSize(6);

            FlakyPlugin.heal();
            CliProcess.Result healed = replay(config, "healed", "--max-replays", "2", "--from-offset", replayedOnce);
            assertThat(healed.lines()).hasSize(6).allSatisfy(l -> assertThat(l).contains("\"replayed\""));
            List<ConsumerRecord<byte[], SessionSnapshot>> snapshots = ItApp.readAll(STACK.get(), app + ".snapshots.flaky", 6,
                    SnapshotSerdes.deserializer(props, true));
            assertThat(snapshots).extracting(r -> r.value().getMeta().getInputOffset())
                    .containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L);
            assertThat(snapshots).allSatisfy(r -> assertThat(r.value().getMeta().getAttempt()).isEqualTo(1));
            assertThat(ItApp.readAll(STACK.get(), dlq, 12, new ByteArrayDeserializer())).hasSize(12);
        }
    }

    private static CliProcess.Result replay(Path config, String name, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("replay", "--config", config.toString(), "--plugin",
                FlakyPlugin.NAME));
        command.addAll(List.of(args));
        return CliProcess.run(STACK.workDir(), "replay-" + name, command);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return DeadLetterHeaders.text(record.headers(), name);
    }

    private static void produceUntilHealed(String topic, int count) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                byte[] value = RawRecordWriter.encode(FLAKY_TYPE, 1_764_000_000_000L + i, i + 1, "r",
                        new byte[] {0, FlakyPlugin.UNTIL_HEALED}, true);
                producer.send(new ProducerRecord<>(topic, "r".getBytes(StandardCharsets.UTF_8), value)).get();
            }
        }
    }

    private static void assertEachRecordInExactlyOnePlace(Map<String, Integer> failuresAt,
                                                          List<ConsumerRecord<byte[], SessionSnapshot>> snapshots,
                                                          List<ConsumerRecord<byte[], byte[]>> dead) {
        Map<String, Integer> placed = new HashMap<>();
        for (ConsumerRecord<byte[], SessionSnapshot> r : snapshots) {
            var meta = r.value().getMeta();
            String position = meta.getInputPartition() + "@" + meta.getInputOffset();
            placed.merge(position, 1, Integer::sum);
            assertThat(meta.getAttempt()).as(position).isEqualTo(failuresAt.get(position) + 1);
        }
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            String position = DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ORIGIN_PARTITION) + "@"
                    + DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ORIGIN_OFFSET);
            placed.merge(position, 1, Integer::sum);
            assertThat(failuresAt.get(position)).as(position).isEqualTo((int) FlakyPlugin.ALWAYS);
            assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ERROR_CODE)).isEqualTo("RETRIES_EXHAUSTED");
            assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ATTEMPT))
                    .isEqualTo(Integer.toString(MAX_ATTEMPTS));
        }
        assertThat(placed.keySet()).isEqualTo(failuresAt.keySet());
        assertThat(placed).allSatisfy((position, n) -> assertThat(n).as(position).isOne());
    }

    private static Map<String, List<Long>> sequencesPerSource(List<ConsumerRecord<byte[], SessionSnapshot>> snapshots) {
        Map<String, List<Long>> out = new HashMap<>();
        for (ConsumerRecord<byte[], SessionSnapshot> r : snapshots) {
            out.computeIfAbsent(r.value().getMeta().getSource(), s -> new ArrayList<>())
                    .add(r.value().getMeta().getSequence());
        }
        return out;
    }

    private static boolean increasing(List<Long> sequence) {
        for (int i = 1; i < sequence.size(); i++) {
            if (sequence.get(i) <= sequence.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Record i of each source fails its first 1 to 3 attempts when i % 7 == 3, and every attempt
     * when i % 29 == 5.
     *
     * @return the planned failures of each input position, partition@offset
     */
    private static Map<String, Integer> produce(String topic) throws Exception {
        Map<String, Integer> failuresAt = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < PER_SOURCE; i++) {
                for (int s = 0; s < SOURCES; s++) {
                    String source = "device-" + s;
                    int failures = i % 29 == 5 ? FlakyPlugin.ALWAYS : i % 7 == 3 ? 1 + (i + s) % 3 : 0;
                    byte[] value = RawRecordWriter.encode(FLAKY_TYPE, 1_764_000_000_000L + i, i + 1, source,
                            new byte[] {(byte) failures}, true);
                    var metadata = producer.send(new ProducerRecord<>(topic,
                            source.getBytes(StandardCharsets.UTF_8), value)).get();
                    failuresAt.put(metadata.partition() + "@" + metadata.offset(), failures);
                }
            }
        }
        return failuresAt;
    }

    private static Properties settings(String app, boolean orderedRetry) {
        Properties props = ItApp.settings(STACK.get(), app, StreamsConfig.EXACTLY_ONCE_V2, STACK.workDir().resolve("state-" + app));
        props.put(ArenaflowConfig.PLUGINS, FlakyPlugin.NAME);
        // Longer than the commit interval: a retry record is only visible to read_committed once its
        // transaction commits, so a shorter wait would be over before the record is even read.
        props.put("plugin.flaky.retry.backoff", "1s,1500ms");
        props.put("plugin.flaky.retry.max.attempts", Integer.toString(MAX_ATTEMPTS));
        props.put("plugin.flaky.retry.ordered", Boolean.toString(orderedRetry));
        // Most attempts of the retry waves fail by design; the breaker would rightly pause the plugin.
        props.put("plugin.flaky.breaker.enabled", "false");
        return props;
    }

    /** @return how many retries the tasks dispatched, by their lateness timers */
    private static long retriesDispatched(ArenaflowApplication application) {
        return application.meters().find(dev.arenaflow.topology.PluginMeterNames.RETRY_LATENESS).timers().stream()
                .mapToLong(io.micrometer.core.instrument.Timer::count).sum();
    }

    /** @return the retry lateness timers' largest maximum, or mean, over tasks, in ms */
    private static double latenessMillis(ArenaflowApplication application, boolean mean) {
        return application.meters().find(dev.arenaflow.topology.PluginMeterNames.RETRY_LATENESS).timers().stream()
                .mapToDouble(t -> mean ? t.mean(java.util.concurrent.TimeUnit.MILLISECONDS)
                        : t.max(java.util.concurrent.TimeUnit.MILLISECONDS))
                .filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }

}
