package dev.arenaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.cli.io.ShutdownSignal;
import dev.arenaflow.topology.DeadLetterHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code replay} over mock clients: what it selects, writes and prints, and every way it refuses to start. */
// A regression may loop forever (a mock consumer never blocks); fail instead of hanging the build.
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReplayCommandTest {

    private static final String DLQ = "arenaflow.dlq.enrich";
    /** enrich's backoff below is 5s,2s: its tiers are 2s and 5s, and replay writes to the shortest. */
    private static final String FIRST_RETRY = "arenaflow.retry.enrich.2s";
    private static final String SETTINGS = """
            application.id=arenaflow-test
            bootstrap.servers=127.0.0.1:1
            arenaflow.registry.url=http://127.0.0.1:1/apis/registry/v2
            arenaflow.plugins=session,enrich
            plugin.enrich.url.template=http://127.0.0.1:1/sources/{source}
            plugin.enrich.retry.backoff=5s,2s
            """;
    private static final long T0 = 1_764_000_000_000L;

    private final MockKafkaClients clients = new MockKafkaClients();
    private final TopicLogConsumer log = new TopicLogConsumer();

    @TempDir
    Path dir;
    private String config;

    @BeforeEach
    void setUp() throws IOException {
        clients.consumer = log;
        config = "--config=" + write(SETTINGS);
        log.topic(DLQ, 2).topic(FIRST_RETRY, 3).topic("arenaflow.retry.enrich.5s", 3);
    }

    // ---- writing ----------------------------------------------------------------------------------------------

    @Test
    void shouldCopyADeadLetterIntoTheFirstRetryTopicWithKeyValueTimestampAndOriginPartition() {
        log.append(deadLetter(1, 0, "TIMEOUT", 2)).deliverOnFirstPoll();

        CommandRun run = replay("--plugin", "enrich");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(clients.producer.history()).hasSize(1);
        ProducerRecord<byte[], byte[]> sent = clients.producer.history().get(0);
        assertThat(sent.topic()).isEqualTo(FIRST_RETRY);
        assertThat(sent.partition()).isEqualTo(2);
        assertThat(sent.key()).isEqualTo(bytes("key-1-0"));
        assertThat(sent.value()).isEqualTo(bytes("value-1-0"));
        assertThat(sent.timestamp()).isEqualTo(T0);
    }

    @Test
    void shouldRewriteAttemptNotBeforeAndReplayCountOnceEachAndKeepEveryOtherHeaderInOrder() {
        ConsumerRecord<byte[], byte[]> dead = deadLetter(0, 0, "TIMEOUT", 0);
        dead.headers().add(DeadLetterHeaders.NOT_BEFORE_MS, bytes("5"));
        dead.headers().add(DeadLetterHeaders.REPLAY_COUNT, bytes("1"));
        dead.headers().add(DeadLetterHeaders.REPLAY_COUNT, bytes("2"));
        log.append(dead).deliverOnFirstPoll();

        replay("--plugin", "enrich");

        Headers sent = clients.producer.history().get(0).headers();
        List<String> untouched = names(dead.headers()).stream().filter(n -> !n.equals(DeadLetterHeaders.ATTEMPT)
                && !n.equals(DeadLetterHeaders.NOT_BEFORE_MS) && !n.equals(DeadLetterHeaders.REPLAY_COUNT)).toList();
        List<String> expected = new ArrayList<>(untouched);
        expected.addAll(List.of(DeadLetterHeaders.ATTEMPT, DeadLetterHeaders.NOT_BEFORE_MS, DeadLetterHeaders.REPLAY_COUNT));
        assertThat(names(sent)).containsExactlyElementsOf(expected);
        untouched.forEach(name -> assertThat(sent.lastHeader(name).value()).as(name)
                .isEqualTo(dead.headers().lastHeader(name).value()));
        assertThat(text(sent, DeadLetterHeaders.ATTEMPT)).isEqualTo("0");
        assertThat(text(sent, DeadLetterHeaders.NOT_BEFORE_MS)).isEqualTo(Long.toString(MockedRun.NOW.toEpochMilli()));
        assertThat(text(sent, DeadLetterHeaders.REPLAY_COUNT)).isEqualTo("3");
    }

    @Test
    void shouldFallBackToTheDeadLettersPartitionModuloWhenTheOriginPartitionIsNotInTheRetryTopic() {
        log.topic(FIRST_RETRY, 1);
        log.append(deadLetter(1, 0, "TIMEOUT", 7)).deliverOnFirstPoll();

        replay("--plugin", "enrich");

        assertThat(clients.producer.history().get(0).partition()).isZero();
    }

    @Test
    void shouldPrintOneLinePerSelectedRecordOnlyAfterTheWriteAndASummary() {
        log.append(deadLetter(0, 0, "TIMEOUT", 1)).deliverOnFirstPoll();

        CommandRun run = replay("--plugin", "enrich");

        assertThat(run.lines()).containsExactly("{\"topic\":\"arenaflow.dlq.enrich\",\"partition\":0,\"offset\":0,"
                + "\"action\":\"replayed\",\"errorCode\":\"TIMEOUT\",\"replayCount\":1,"
                + "\"to\":\"arenaflow.retry.enrich.2s\",\"toPartition\":1,\"toOffset\":0}");
        assertThat(run.stderr()).contains("replay from arenaflow.dlq.enrich into arenaflow.retry.enrich.2s: "
                + "1 replayed, 0 kept, 0 skipped (1 selected of 1 read)").doesNotContain("dry run");
        assertThat(clients.producer.flushed()).isTrue();
        assertThat(clients.producer.closed()).isTrue();
        assertThat(log.closed()).isTrue();
    }

    @Test
    void shouldUseAnIdempotentAcksAllProducerAndAGrouplessConsumerOverTheApplicationsConnectionSettings()
            throws IOException {
        log.deliverOnFirstPoll();
        String withSecurity = "--config=" + write(SETTINGS + "security.protocol=SASL_SSL\nproducer.acks=1\n"
                + "consumer.max.poll.records=7\ngroup.id=nope\n");

        replayWith(withSecurity, "--plugin", "enrich");

        assertThat(clients.consumerConfig).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("max.poll.records", "7").containsEntry("enable.auto.commit", "false")
                .containsEntry("isolation.level", "read_committed").containsEntry("client.id", "arenaflow-replay")
                .doesNotContainKeys("group.id", "application.id", "arenaflow.plugins", "plugin.enrich.url.template");
        assertThat(clients.producerConfig).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
                .doesNotContainKeys("application.id", "arenaflow.registry.url");
    }

    // ---- selection ---------------------------------------------------------------------------------------------

    @Test
    void shouldSelectByErrorCodePartitionAndOffsetsTogether() {
        for (int offset = 0; offset < 4; offset++) {
            log.append(deadLetter(0, offset, offset % 2 == 0 ? "TIMEOUT" : "HTTP_500", 0));
            log.append(deadLetter(1, offset, "TIMEOUT", 1));
        }
        log.deliverOnFirstPoll();

        CommandRun run = replay("--plugin", "enrich", "--error-code", "TIMEOUT", "--error-code", "GONE",
                "--partition", "0", "--from-offset", "1", "--to-offset", "3");

        assertThat(sentFrom()).containsExactly("0@2");
        assertThat(run.stderr()).contains("1 replayed, 0 kept, 0 skipped (1 selected of 3 read)");
    }

    @Test
    void shouldSeekToTheFromTimeAndStillCompareEveryRecordsTimestamp() {
        log.append(deadLetter(0, 0, T0, "TIMEOUT"))
                .append(deadLetter(0, 1, T0 + 3000, "TIMEOUT"))
                .append(deadLetter(0, 2, T0 + 9000, "TIMEOUT"))
                .append(deadLetter(0, 3, T0 + 1000, "TIMEOUT"))
                .append(deadLetter(0, 4, T0 + 4000, "TIMEOUT"))
                .deliverOnFirstPoll();

        CommandRun run = replay("--plugin", "enrich", "--from-time", "2025-11-24T16:00:02Z",
                "--to-time", Long.toString(T0 + 5000));

        assertThat(sentFrom()).containsExactly("0@1", "0@4");
        assertThat(run.stderr()).contains("(2 selected of 4 read)");
    }

    @Test
    void shouldReadNothingOfAPartitionWithNoRecordAtOrAfterTheFromTime() {
        log.append(deadLetter(0, 0, T0, "TIMEOUT")).deliverOnFirstPoll();

        CommandRun run = replay("--plugin", "enrich", "--from-time", Long.toString(T0 + 1));

        assertThat(clients.producer.history()).isEmpty();
        assertThat(run.stderr()).contains("(0 selected of 0 read)");
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void shouldReadOnlyUpToTheEndOffsetsTakenAtStart() {
        log.append(deadLetter(0, 0, "TIMEOUT", 0)).append(deadLetter(0, 1, "TIMEOUT", 0))
                .append(deadLetter(0, 2, "TIMEOUT", 0))
                .endOffset(DLQ, 0, 2)
                .deliverOnFirstPoll();

        CommandRun run = replay("--plugin", "enrich");

        assertThat(sentFrom()).containsExactly("0@0", "0@1");
        assertThat(run.lines()).hasSize(2);
    }

    @Test
    void shouldReadAnotherTopicGivenWithFromTopic() {
        log.topic("parked", 1).append(deadLetter("parked", 0, 0, T0, "TIMEOUT")).deliverOnFirstPoll();

        CommandRun run = replay("--plugin", "enrich", "--from-topic", "parked");

        assertThat(sentFrom()).containsExactly("0@0");
        assertThat(run.stderr()).contains("replay from parked into arenaflow.retry.enrich.2s");
    }

    // ---- loop guard, skipping, cap, dry run ---------------------------------------------------------------------

    @Test
    void shouldKeepARecordReplayedMaxReplaysTimesAlready() {
        ConsumerRecord<byte[], byte[]> atLimit = deadLetter(0, 0, "TIMEOUT", 0);
        atLimit.headers().add(DeadLetterHeaders.REPLAY_COUNT, bytes("2"));
        ConsumerRecord<byte[], byte[]> below = deadLetter(0, 1, "TIMEOUT", 0);
        below.headers().add(DeadLetterHeaders.REPLAY_COUNT, bytes("1"));
        log.append(atLimit).append(below).deliverOnFirstPoll();

        CommandRun run = replay("--plugin", "enrich", "--max-replays", "2");

        assertThat(sentFrom()).containsExactly("0@1");
        assertThat(run.lines().get(0)).isEqualTo("{\"topic\":\"arenaflow.dlq.enrich\",\"partition\":0,\"offset\":0,"
                + "\"action\":\"kept\",\"errorCode\":\"TIMEOUT\",\"replayCount\":2,"
                + "\"reason\":\"replayed 2 times already; --max-replays is 2\"}");
        assertThat(run.lines().get(1)).contains("\"action\":\"replayed\"").contains("\"replayCount\":2");
        assertThat(run.stderr()).contains("1 replayed, 1 kept, 0 skipped");
    }

    @Test
    void shouldKeepADeadLetterWhoseValueWasNotKeptAndSayWhereTheRecordIs() {
        ConsumerRecord<byte[], byte[]> dropped = deadLetter(0, 0, "REJECTED", 0);
        dropped.headers().add(DeadLetterHeaders.VALUE_DROPPED_BYTES, bytes("2000123"));
        ConsumerRecord<byte[], byte[]> whole = deadLetter(0, 1, "REJECTED", 0);
        log.append(dropped).append(whole).deliverOnFirstPoll();

        CommandRun run = replay("--plugin", "enrich");

        assertThat(sentFrom()).containsExactly("0@1");
        assertThat(run.lines().get(0)).contains("\"action\":\"kept\"").contains("\"reason\":\"its 2000123-byte value "
                + "was not kept (over the dead-letter limit); it is at raw-events-0@100 while that topic retains it\"");
        assertThat(run.stderr()).contains("1 replayed, 1 kept, 0 skipped");
    }

    @Test
    void shouldKeepRecordsAtTheDefaultLimitOfThreeReplays() {
        ConsumerRecord<byte[], byte[]> three = deadLetter(0, 0, "TIMEOUT", 0);
        three.headers().add(DeadLetterHeaders.REPLAY_COUNT, bytes("3"));
        log.append(three).deliverOnFirstPoll();

        CommandRun run = replay("--plugin", "enrich");

        assertThat(clients.producer.history()).isEmpty();
        assertThat(run.lines()).singleElement().asString().contains("\"action\":\"kept\"");
    }

    @Test
    void shouldSkipRecordsWithoutOriginHeadersOrOfAnotherPlugin() {
        ConsumerRecord<byte[], byte[]> plain = record(DLQ, 0, 0, T0, new RecordHeaders());
        ConsumerRecord<byte[], byte[]> noOffset = deadLetter(0, 1, "TIMEOUT", 0);
        noOffset.headers().remove(DeadLetterHeaders.ORIGIN_OFFSET);
        ConsumerRecord<byte[], byte[]> session = deadLetter(0, 2, "TIMEOUT", 0);
        session.headers().remove(DeadLetterHeaders.PLUGIN).add(DeadLetterHeaders.PLUGIN, bytes("session"));
        log.append(plain).append(noOffset).append(session).deliverOnFirstPoll();

        CommandRun run = replay("--plugin", "enrich");

        assertThat(clients.producer.history()).isEmpty();
        assertThat(run.lines()).containsExactly(
                "{\"topic\":\"arenaflow.dlq.enrich\",\"partition\":0,\"offset\":0,\"action\":\"skipped\","
                        + "\"errorCode\":null,\"replayCount\":0,\"reason\":\"not an arenaflow dead letter: header "
                        + "arenaflow.origin.topic is missing\"}",
                "{\"topic\":\"arenaflow.dlq.enrich\",\"partition\":0,\"offset\":1,\"action\":\"skipped\","
                        + "\"errorCode\":\"TIMEOUT\",\"replayCount\":0,\"reason\":\"not an arenaflow dead letter: header "
                        + "arenaflow.origin.offset is missing or not an offset\"}",
                "{\"topic\":\"arenaflow.dlq.enrich\",\"partition\":0,\"offset\":2,\"action\":\"skipped\","
                        + "\"errorCode\":\"TIMEOUT\",\"replayCount\":0,\"reason\":\"a dead letter of plugin 'session', "
                        + "not of plugin 'enrich'\"}");
        assertThat(run.stderr()).contains("0 replayed, 0 kept, 3 skipped");
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void shouldStopBeforeTheRecordPastMaxRecordsAndSayWhereToGoOn() {
        log.setMaxPollRecords(1);
        for (int offset = 0; offset < 5; offset++) {
            log.append(deadLetter(0, offset, offset == 2 ? "OTHER" : "TIMEOUT", 0));
        }
        log.deliverOnFirstPoll();

        CommandRun run = replay("--plugin", "enrich", "--error-code", "TIMEOUT", "--max-records", "2");

        assertThat(sentFrom()).containsExactly("0@0", "0@1");
        assertThat(run.lines()).hasSize(2);
        assertThat(run.stderr()).contains("2 replayed, 0 kept, 0 skipped (2 selected of 3 read)")
                .contains("stopped at --max-records 2: more records would be replayed; to go on, run again from "
                        + "partition 0 offset 3");
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void shouldNotClaimTheCapWasHitWhenExactlyMaxRecordsWereSelected() {
        log.append(deadLetter(0, 0, "TIMEOUT", 0)).append(deadLetter(0, 1, "TIMEOUT", 0)).deliverOnFirstPoll();

        CommandRun run = replay("--plugin", "enrich", "--max-records", "2");

        assertThat(clients.producer.history()).hasSize(2);
        assertThat(run.stderr()).doesNotContain("stopped");
    }

    @Test
    void shouldWriteNothingInADryRunAndSaySo() {
        ConsumerRecord<byte[], byte[]> kept = deadLetter(0, 1, "TIMEOUT", 0);
        kept.headers().add(DeadLetterHeaders.REPLAY_COUNT, bytes("3"));
        log.append(deadLetter(0, 0, "TIMEOUT", 1)).append(kept).deliverOnFirstPoll();

        CommandRun run = replay("--plugin", "enrich", "--dry-run");

        assertThat(clients.producerConfig).as("no producer is even created").isNull();
        assertThat(clients.producer.history()).isEmpty();
        assertThat(run.lines()).containsExactly("{\"topic\":\"arenaflow.dlq.enrich\",\"partition\":0,\"offset\":0,"
                        + "\"action\":\"would-replay\",\"errorCode\":\"TIMEOUT\",\"replayCount\":1,"
                        + "\"to\":\"arenaflow.retry.enrich.2s\",\"toPartition\":1}",
                "{\"topic\":\"arenaflow.dlq.enrich\",\"partition\":0,\"offset\":1,\"action\":\"kept\","
                        + "\"errorCode\":\"TIMEOUT\",\"replayCount\":3,\"reason\":\"replayed 3 times already; "
                        + "--max-replays is 3\"}");
        assertThat(run.stderr()).contains("dry run of replay from arenaflow.dlq.enrich into arenaflow.retry.enrich.2s: "
                + "1 would-replay, 1 kept, 0 skipped").contains("dry run: nothing written");
    }

    @Test
    void shouldApplyTheCapToWouldBeReplaysInADryRun() {
        log.append(deadLetter(0, 0, "TIMEOUT", 0)).append(deadLetter(0, 1, "TIMEOUT", 0)).deliverOnFirstPoll();

        CommandRun run = replay("--plugin", "enrich", "--dry-run", "--max-records", "1");

        assertThat(run.lines()).hasSize(1);
        assertThat(run.stderr()).contains("stopped at --max-records 1").contains("partition 0 offset 1");
    }

    // ---- failures and Ctrl-C -----------------------------------------------------------------------------------

    @Test
    void shouldStopAtAFailedWriteAndExitWithOne() {
        clients.producer = failingSecond(new TopicAuthorizationException("not allowed"));
        for (int offset = 0; offset < 4; offset++) {
            log.append(deadLetter(0, offset, "TIMEOUT", 0));
        }
        log.setMaxPollRecords(2);
        log.deliverOnFirstPoll();

        CommandRun run = replay("--plugin", "enrich");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(clients.producer.history()).hasSize(2);
        assertThat(run.lines()).hasSize(2);
        assertThat(run.lines().get(0)).contains("\"action\":\"replayed\"");
        assertThat(run.lines().get(1)).contains("\"action\":\"failed\"")
                .contains("\"error\":\"TopicAuthorizationException: not allowed\"");
        assertThat(run.stderr()).contains("1 replayed, 0 kept, 0 skipped, 1 failed")
                .contains("replay failed: TopicAuthorizationException: not allowed");
    }

    @Test
    void shouldStopOnCtrlCBetweenPollsAndSayWhereToGoOn() {
        ShutdownSignal signal = ShutdownSignal.manual();
        log.setMaxPollRecords(1);
        log.append(deadLetter(0, 0, "TIMEOUT", 0)).append(deadLetter(0, 1, "TIMEOUT", 0)).deliverOnFirstPoll();
        clients.producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                signal.request();
                return super.send(record, callback);
            }
        };

        CommandRun run = MockedRun.run(clients, signal, "", "replay", config, "--plugin", "enrich");

        assertThat(run.exitCode()).isZero();
        assertThat(sentFrom()).containsExactly("0@0");
        assertThat(run.stderr()).contains("stopped by Ctrl-C; to go on, run again from partition 0 offset 1");
    }

    @Test
    void shouldExitWithOneWhenTheSourceTopicIsMissing() {
        CommandRun run = replay("--plugin", "enrich", "--from-topic", "nope");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("replay failed: topic nope does not exist");
    }

    @Test
    void shouldExitWithOneWhenTheRetryTopicIsMissing() {
        CommandRun run = replay("--plugin", "session", "--from-topic", DLQ);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("retry topic arenaflow.retry.session.1s does not exist; arenaflow creates "
                + "it when it starts with plugin session");
    }

    // ---- arguments and configuration ---------------------------------------------------------------------------

    @Test
    void shouldRequireAPluginAndNameTheConfiguredOnes() {
        assertThat(refused("--dry-run")).contains("Missing required option: '--plugin=NAME'");
        assertThat(refused("--plugin", "enrichh")).contains("--plugin enrichh is not one of the configured plugins "
                + "(arenaflow.plugins): session, enrich");
    }

    @Test
    void shouldRefuseBadSelectionsNamingTheOption() {
        assertThat(refused("--plugin", "enrich", "--from-time", "yesterday"))
                .contains("--from-time").contains("'yesterday' is neither an ISO-8601 instant");
        assertThat(refused("--plugin", "enrich", "--from-offset", "9", "--to-offset", "3"))
                .contains("--from-offset 9 is after --to-offset 3");
        assertThat(refused("--plugin", "enrich", "--from-time", "2026-11-26T10:00:00Z", "--to-time",
                "2026-11-26T09:00:00Z")).contains("--from-time 2026-11-26T10:00:00Z is after --to-time 2026-11-26T09:00:00Z");
        assertThat(refused("--plugin", "enrich", "--partition", "-1")).contains("--partition must be at least 0 but was -1");
        assertThat(refused("--plugin", "enrich", "--from-offset", "-1")).contains("--from-offset must be at least 0");
        assertThat(refused("--plugin", "enrich", "--max-replays", "0")).contains("--max-replays must be at least 1 but was 0");
        assertThat(refused("--plugin", "enrich", "--max-records", "0")).contains("--max-records must be at least 1 but was 0");
        assertThat(refused("--plugin", "enrich", "--error-code", " ")).contains("--error-code must not be blank");
    }

    @Test
    void shouldRefuseAPartitionTheTopicDoesNotHave() {
        assertThat(refused("--plugin", "enrich", "--partition", "2"))
                .contains("--partition 2: arenaflow.dlq.enrich has 2 partitions, 0 to 1");
    }

    @Test
    void shouldRefuseToReadTheRetryTopicItWritesTo() {
        assertThat(refused("--plugin", "enrich", "--from-topic", FIRST_RETRY))
                .contains("--from-topic arenaflow.retry.enrich.2s is the retry topic that replay writes to");
    }

    @Test
    void shouldRefuseInvalidConfigurationNamingTheKey() throws IOException {
        String bad = "--config=" + write(SETTINGS + "plugin.enrich.retry.backoff=soon\n");

        CommandRun run = replayWith(bad, "--plugin", "enrich");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("invalid configuration").contains("retry.backoff").contains("soon");
        assertThat(clients.consumerConfig).as("no client is created").isNull();
    }

    @Test
    void shouldDescribeTheCommandWithExamplesInHelp() {
        CommandRun run = MockedRun.run(clients, "", "replay", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("Usage: arenaflow replay").contains("--dry-run").contains("--max-replays")
                .contains("Examples:").contains("arenaflow replay -c app.properties --plugin enrich --dry-run")
                .contains("Exit codes:");
    }

    @Test
    void shouldListReplayWithItsSummaryInTheTopLevelHelp() {
        CommandRun run = CommandRun.run("", "--help");

        assertThat(run.stdout()).containsPattern("replay +Puts a plugin's dead letters back into processing");
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private CommandRun replay(String... args) {
        return replayWith(config, args);
    }

    private CommandRun replayWith(String configOption, String... args) {
        List<String> all = new ArrayList<>(List.of("replay", configOption));
        all.addAll(List.of(args));
        return MockedRun.run(clients, "", all.toArray(String[]::new));
    }

    private String refused(String... args) {
        CommandRun run = replay(args);
        assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isEqualTo(2);
        assertThat(clients.producer.history()).isEmpty();
        return run.stderr();
    }

    /** @return "partition@offset" of the dead letter behind each record sent, in order */
    private List<String> sentFrom() {
        return clients.producer.history().stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8).replaceFirst("key-(\\d+)-(\\d+)", "$1@$2"))
                .toList();
    }

    private static ConsumerRecord<byte[], byte[]> deadLetter(int partition, long offset, String code, int originPartition) {
        return deadLetter(DLQ, partition, offset, T0, code, originPartition);
    }

    private static ConsumerRecord<byte[], byte[]> deadLetter(int partition, long offset, long timestamp, String code) {
        return deadLetter(DLQ, partition, offset, timestamp, code, partition);
    }

    private static ConsumerRecord<byte[], byte[]> deadLetter(String topic, int partition, long offset, long timestamp,
                                                             String code) {
        return deadLetter(topic, partition, offset, timestamp, code, partition);
    }

    private static ConsumerRecord<byte[], byte[]> deadLetter(String topic, int partition, long offset, long timestamp,
                                                             String code, int originPartition) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", bytes("t-" + offset));
        headers.add(DeadLetterHeaders.ERROR_CODE, bytes(code));
        headers.add(DeadLetterHeaders.ERROR_MESSAGE, bytes("lookup of dev-1 failed"));
        headers.add(DeadLetterHeaders.ERROR_CLASS, bytes("java.net.http.HttpTimeoutException"));
        headers.add(DeadLetterHeaders.PLUGIN, bytes("enrich"));
        headers.add(DeadLetterHeaders.ATTEMPT, bytes("5"));
        headers.add(DeadLetterHeaders.ORIGIN_TOPIC, bytes("raw-events"));
        headers.add(DeadLetterHeaders.ORIGIN_PARTITION, bytes(Integer.toString(originPartition)));
        headers.add(DeadLetterHeaders.ORIGIN_OFFSET, bytes(Long.toString(100 + offset)));
        headers.add(DeadLetterHeaders.FIRST_FAILURE_MS, bytes(Long.toString(T0 - 60_000)));
        return record(topic, partition, offset, timestamp, headers);
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, long timestamp,
                                                         RecordHeaders headers) {
        return new ConsumerRecord<>(topic, partition, offset, timestamp, TimestampType.CREATE_TIME, -1, -1,
                bytes("key-" + partition + "-" + offset), bytes("value-" + partition + "-" + offset), headers,
                Optional.empty());
    }

    private static MockProducer<byte[], byte[]> failingSecond(RuntimeException failure) {
        return new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                Future<RecordMetadata> future = super.send(record, callback);
                if (history().size() == 2) {
                    errorNext(failure);
                } else {
                    completeNext();
                }
                return future;
            }
        };
    }

    private static List<String> names(Headers headers) {
        return StreamSupport.stream(headers.spliterator(), false).map(Header::key).toList();
    }

    private static String text(Headers headers, String name) {
        List<Header> all = StreamSupport.stream(headers.headers(name).spliterator(), false).toList();
        assertThat(all).as("occurrences of %s", name).hasSize(1);
        return new String(all.get(0).value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private String write(String properties) throws IOException {
        Path file = Files.createTempFile(dir, "arenaflow", ".properties");
        Files.writeString(file, properties, StandardCharsets.UTF_8);
        return file.toString();
    }
}
