package dev.arenaflow.topology;

import static dev.arenaflow.topology.plugins.FlakyPlugin.ASK_RETRY;
import static dev.arenaflow.topology.plugins.FlakyPlugin.REJECT;
import static dev.arenaflow.topology.plugins.FlakyPlugin.THROW;
import static dev.arenaflow.topology.plugins.FlakyPlugin.TYPE;
import static dev.arenaflow.topology.testing.ArenaflowDriver.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.record.RawRecordWriter;
import dev.arenaflow.schemas.SessionSnapshot;
import dev.arenaflow.topology.plugins.FlakyPlugin;
import dev.arenaflow.topology.testing.ArenaflowDriver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retry topics with the driver's wall clock: tiers, not-before, attempts then the dead-letter
 * topic, ordered retry and its parking bound. The driver feeds what the topology writes to its
 * retry topics back into it, as a broker would.
 */
class RetryTopicTest {

    private ArenaflowDriver driver;

    @BeforeEach
    void reset() {
        FlakyPlugin.reset();
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    private void start(String... settings) {
        Map<String, String> props = new HashMap<>(Map.of(ArenaflowConfig.PLUGINS, "flaky,session",
                "plugin.flaky.retry.jitter", "0"));
        for (int i = 0; i < settings.length; i += 2) {
            props.put(settings[i], settings[i + 1]);
        }
        driver = new ArenaflowDriver(props);
    }

    @Test
    void shouldWriteEachRetryToTheFirstTierAtLeastAsLongAsTheWantedDelay() {
        start("plugin.flaky.retry.backoff", "1s,5s,30s");
        long t0 = driver.now();
        driver.send("a", 1, TYPE, (byte) 1, ASK_RETRY, (byte) 3);
        driver.send("b", 1, TYPE, (byte) 1, ASK_RETRY, (byte) 40);
        driver.send("c", 1, TYPE, (byte) 1, THROW);

        TestRecord<byte[], byte[]> c = single(driver.retries("flaky", "1s"));
        TestRecord<byte[], byte[]> a = single(driver.retries("flaky", "5s"));
        TestRecord<byte[], byte[]> b = single(driver.retries("flaky", "30s"));
        assertThat(header(a, DeadLetterHeaders.NOT_BEFORE_MS)).isEqualTo(Long.toString(t0 + 3_000));
        assertThat(header(b, DeadLetterHeaders.NOT_BEFORE_MS)).isEqualTo(Long.toString(t0 + 40_000));
        assertThat(header(c, DeadLetterHeaders.NOT_BEFORE_MS)).isEqualTo(Long.toString(t0 + 1_000));
        assertThat(header(a, DeadLetterHeaders.ERROR_CODE)).isEqualTo("RETRY");
        assertThat(header(c, DeadLetterHeaders.ERROR_CODE)).isEqualTo("PLUGIN_EXCEPTION");
        assertThat(header(c, DeadLetterHeaders.ERROR_CLASS)).isEqualTo(IllegalStateException.class.getName());
        assertThat(header(c, DeadLetterHeaders.ATTEMPT)).isEqualTo("1");
        assertThat(header(c, DeadLetterHeaders.PLUGIN)).isEqualTo("flaky");
        assertThat(header(c, DeadLetterHeaders.ORIGIN_TOPIC)).isEqualTo("raw-events");
        assertThat(header(c, DeadLetterHeaders.ORIGIN_OFFSET)).isEqualTo("2");
        assertThat(header(c, DeadLetterHeaders.FIRST_FAILURE_MS)).isEqualTo(Long.toString(t0));
        assertThat(driver.deadLetters("flaky")).isEmpty();
    }

    @Test
    void shouldDispatchARetryOnlyOnceItsNotBeforeTimeHasPassedAndMeasureHowLate() {
        start("plugin.flaky.retry.backoff", "1s");
        driver.send("a", 1, TYPE, (byte) 1, THROW);
        driver.send("b", 1, TYPE);
        assertThat(FlakyPlugin.DISPATCHES).containsExactly("a:1#1", "b:1#1");

        driver.advance(Duration.ofMillis(900));
        assertThat(FlakyPlugin.DISPATCHES).containsExactly("a:1#1", "b:1#1");
        assertThat(driver.metric(PluginMeterNames.PARKED)).isEqualTo(1.0);

        driver.advance(Duration.ofMillis(130));
        assertThat(FlakyPlugin.DISPATCHES).containsExactly("a:1#1", "b:1#1", "a:1#2");
        assertThat(driver.snapshots("flaky")).extracting(s -> s.getMeta().getSource() + "#" + s.getMeta().getAttempt())
                .containsExactly("b#1", "a#2");
        assertThat(driver.maxMillis(PluginMeterNames.RETRY_LATENESS)).isEqualTo(30.0);
        assertThat(driver.metric(PluginMeterNames.RETRIES)).isEqualTo(1.0);
        assertThat(driver.metric(PluginMeterNames.PARKED)).isZero();
    }

    @Test
    void shouldLengthenEachWaitByTheJitterAtMost() {
        start("plugin.flaky.retry.backoff", "1s", "plugin.flaky.retry.jitter", "0.5");
        long t0 = driver.now();
        for (int i = 0; i < 20; i++) {
            driver.send("s" + i, 1, TYPE, (byte) 1, THROW);
        }

        List<Long> waits = driver.retries("flaky", "1s").stream()
                .map(r -> Long.parseLong(header(r, DeadLetterHeaders.NOT_BEFORE_MS)) - t0).toList();
        assertThat(waits).hasSize(20).allSatisfy(wait -> assertThat(wait).isBetween(1_000L, 1_499L));
        // 20 draws from 500 values: fewer than 10 distinct ones would mean the jitter is not random.
        assertThat(new java.util.HashSet<>(waits)).hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void shouldDeadLetterAfterTheLastAttemptWithTheWholeStoryAndLeaveOtherPluginsAlone() {
        start("plugin.flaky.retry.backoff", "100ms,200ms", "plugin.flaky.retry.max.attempts", "3");
        long t0 = driver.now();
        driver.sendWithHeader("trace", "t-1", "a", 1, TYPE, (byte) 99, THROW);
        driver.advance(Duration.ofMillis(150));
        driver.advance(Duration.ofMillis(250));

        assertThat(FlakyPlugin.DISPATCHES).containsExactly("a:1#1", "a:1#2", "a:1#3");
        assertThat(driver.retries("flaky", "100ms")).hasSize(1);
        assertThat(driver.retries("flaky", "200ms")).hasSize(1);
        TestRecord<byte[], byte[]> dead = single(driver.deadLetters("flaky"));
        assertThat(header(dead, DeadLetterHeaders.ERROR_CODE)).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(header(dead, DeadLetterHeaders.ERROR_MESSAGE))
                .isEqualTo("attempt 3 of 3 failed: PLUGIN_EXCEPTION: flaky on attempt 3");
        assertThat(header(dead, DeadLetterHeaders.ERROR_CLASS)).isEqualTo(IllegalStateException.class.getName());
        assertThat(header(dead, DeadLetterHeaders.ATTEMPT)).isEqualTo("3");
        assertThat(header(dead, DeadLetterHeaders.PLUGIN)).isEqualTo("flaky");
        assertThat(header(dead, DeadLetterHeaders.ORIGIN_TOPIC)).isEqualTo("raw-events");
        assertThat(header(dead, DeadLetterHeaders.ORIGIN_PARTITION)).isEqualTo("0");
        assertThat(header(dead, DeadLetterHeaders.ORIGIN_OFFSET)).isEqualTo("0");
        assertThat(header(dead, DeadLetterHeaders.FIRST_FAILURE_MS)).isEqualTo(Long.toString(t0));
        assertThat(header(dead, DeadLetterHeaders.NOT_BEFORE_MS)).isNull();
        assertThat(header(dead, "trace")).isEqualTo("t-1");
        assertThat(dead.headers().headers(DeadLetterHeaders.ERROR_CODE)).hasSize(1);
        List<SessionSnapshot> session = driver.snapshots("session");
        assertThat(session).hasSize(1);
        assertThat(session.get(0).getMeta().getAttempt()).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterAFailureThePluginChoseWithoutRetrying() {
        start();
        driver.send("a", 1, TYPE, (byte) 1, REJECT);

        assertThat(driver.retries("flaky", "1s")).isEmpty();
        assertThat(single(driver.deadLetters("flaky")).headers().lastHeader(DeadLetterHeaders.ERROR_CODE).value())
                .isEqualTo("REJECTED".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldParkLaterMessagesOfTheSourceBehindAnOrderedRetryAndReleaseThemInOrder() {
        start("plugin.flaky.retry.ordered", "true", "plugin.flaky.retry.backoff", "1s");
        driver.send("a", 1, TYPE, (byte) 1, THROW);
        driver.send("a", 2, TYPE);
        driver.send("b", 1, TYPE);
        driver.send("a", 3, TYPE);

        assertThat(FlakyPlugin.DISPATCHES).containsExactly("a:1#1", "b:1#1");
        assertThat(driver.metric(PluginMeterNames.PARKED)).isEqualTo(3.0);

        driver.advance(Duration.ofMillis(1100));

        assertThat(FlakyPlugin.DISPATCHES).containsExactly("a:1#1", "b:1#1", "a:1#2", "a:2#1", "a:3#1");
        assertThat(driver.snapshots("flaky")).extracting(s -> s.getMeta().getSource() + ":" + s.getMeta().getSequence())
                .containsExactly("b:1", "a:1", "a:2", "a:3");
        assertThat(driver.metric(PluginMeterNames.PARKED)).isZero();
        assertThat(driver.metric(PluginMeterNames.ARENA_ENTRIES)).isZero();
    }

    @Test
    void shouldLetLaterMessagesOfTheSourceOvertakeARetryUnlessOrdered() {
        start("plugin.flaky.retry.backoff", "1s");
        driver.send("a", 1, TYPE, (byte) 1, THROW);
        driver.send("a", 2, TYPE);
        driver.advance(Duration.ofMillis(1100));

        assertThat(driver.snapshots("flaky")).extracting(s -> s.getMeta().getSequence() + "#" + s.getMeta().getAttempt())
                .containsExactly("2#1", "1#2");
    }

    @Test
    void shouldDeadLetterAMessageThatWouldParkPastTheBoundAndKeepTheOthersInOrder() {
        start("plugin.flaky.retry.ordered", "true", "plugin.flaky.retry.backoff", "1s", "plugin.flaky.retry.max.parked", "2");
        driver.send("a", 1, TYPE, (byte) 1, THROW);
        driver.send("a", 2, TYPE);
        driver.send("a", 3, TYPE);

        TestRecord<byte[], byte[]> dead = single(driver.deadLetters("flaky"));
        assertThat(header(dead, DeadLetterHeaders.ERROR_CODE)).isEqualTo("PARKED_LIMIT");
        assertThat(header(dead, DeadLetterHeaders.ORIGIN_OFFSET)).isEqualTo("2");
        assertThat(header(dead, DeadLetterHeaders.ERROR_MESSAGE)).contains("retry.max.parked");
        assertThat(driver.metric(PluginMeterNames.PARKED_LIMIT)).isEqualTo(1.0);

        driver.advance(Duration.ofMillis(1100));
        assertThat(driver.snapshots("flaky")).extracting(s -> s.getMeta().getSequence()).containsExactly(1L, 2L);
    }

    @Test
    void shouldDeadLetterAMessageTooLargeForItsRetryTopicAndLetItsSourceGoOn() {
        start("plugin.flaky.retry.ordered", "true", "plugin.flaky.retry.backoff", "1s",
                "producer.max.request.size", "2000");
        byte[] large = new byte[3_000];
        large[0] = 1;
        large[1] = THROW;
        driver.send("a", 1, TYPE, large);
        driver.send("a", 2, TYPE);

        assertThat(driver.retries("flaky", "1s")).isEmpty();
        TestRecord<byte[], byte[]> dead = single(driver.deadLetters("flaky"));
        assertThat(header(dead, DeadLetterHeaders.ERROR_CODE)).isEqualTo(DeadLetterLimit.RETRY_TOO_LARGE);
        assertThat(header(dead, DeadLetterHeaders.ERROR_MESSAGE))
                .startsWith("attempt 1 failed: PLUGIN_EXCEPTION: ").contains("arenaflow.retry.flaky.1s");
        assertThat(header(dead, DeadLetterHeaders.ERROR_CLASS)).isEqualTo(IllegalStateException.class.getName());
        assertThat(header(dead, DeadLetterHeaders.ATTEMPT)).isEqualTo("1");
        // The dead letter is over the same limit, so it goes without its value, saying how large that was.
        assertThat(dead.value()).isNull();
        assertThat(header(dead, DeadLetterHeaders.VALUE_DROPPED_BYTES)).isNotNull();
        assertThat(driver.snapshots("flaky")).extracting(s -> s.getMeta().getSource() + ":" + s.getMeta().getSequence())
                .containsExactly("a:2");
        assertThat(driver.metric(PluginMeterNames.PARKED)).isZero();
        assertThat(driver.metric(PluginMeterNames.ARENA_ENTRIES)).isZero();
    }

    @Test
    void shouldDeadLetterARetryThatWouldWaitPastTheBound() {
        start("plugin.flaky.retry.backoff", "1s", "plugin.flaky.retry.max.parked", "1");
        driver.send("a", 1, TYPE, (byte) 1, THROW);
        driver.send("b", 1, TYPE, (byte) 1, THROW);

        TestRecord<byte[], byte[]> dead = single(driver.deadLetters("flaky"));
        assertThat(header(dead, DeadLetterHeaders.ERROR_CODE)).isEqualTo("PARKED_LIMIT");
        assertThat(header(dead, DeadLetterHeaders.ORIGIN_OFFSET)).isEqualTo("1");
        assertThat(header(dead, DeadLetterHeaders.ATTEMPT)).isEqualTo("2");
    }

    @Test
    void shouldProcessAReplayedRecordAsAttemptOne() {
        start();
        byte[] value = RawRecordWriter.encode(TYPE, 5L, 7L, "r", new byte[0], true);
        RecordHeaders headers = retryHeaders("raw-events", "0", "42", "0", Long.toString(driver.now()));
        driver.pipe("arenaflow.retry.flaky.1s", new TestRecord<>("r".getBytes(StandardCharsets.UTF_8), value, headers));

        List<SessionSnapshot> out = driver.snapshots("flaky");
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getMeta().getAttempt()).isEqualTo(1);
        assertThat(out.get(0).getMeta().getInputOffset()).isEqualTo(42L);
        assertThat(driver.snapshots("session")).isEmpty();
    }

    @Test
    void shouldDeadLetterARetryRecordWithoutItsOrigin() {
        start();
        byte[] value = RawRecordWriter.encode(TYPE, 5L, 7L, "r", new byte[0], true);
        driver.pipe("arenaflow.retry.flaky.1s", new TestRecord<>(null, value, retryHeaders("raw-events", "0", null,
                "1", "0")));

        TestRecord<byte[], byte[]> dead = single(driver.deadLetters("flaky"));
        assertThat(header(dead, DeadLetterHeaders.ERROR_CODE)).isEqualTo("BAD_RETRY_RECORD");
        assertThat(header(dead, DeadLetterHeaders.ERROR_MESSAGE)).contains(DeadLetterHeaders.ORIGIN_OFFSET);
        assertThat(dead.value()).isEqualTo(value);
        assertThat(FlakyPlugin.DISPATCHES).isEmpty();
    }

    @Test
    void shouldDeadLetterARetryWhoseOriginIsNotOneOfOurInputTopics() {
        start();
        byte[] value = RawRecordWriter.encode(TYPE, 5L, 7L, "r", new byte[0], true);
        driver.pipe("arenaflow.retry.flaky.1s", new TestRecord<>(null, value, retryHeaders("someone-elses-input", "0",
                "3", "1", "0")));

        TestRecord<byte[], byte[]> dead = single(driver.deadLetters("flaky"));
        assertThat(header(dead, DeadLetterHeaders.ERROR_CODE)).isEqualTo("BAD_RETRY_RECORD");
        assertThat(header(dead, DeadLetterHeaders.ERROR_MESSAGE)).contains("someone-elses-input")
                .contains(ArenaflowConfig.RETRY_TOPIC_PREFIX);
        assertThat(FlakyPlugin.DISPATCHES).isEmpty();
    }

    private static RecordHeaders retryHeaders(String topic, String partition, String offset, String attempt,
                                              String notBefore) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, DeadLetterHeaders.ORIGIN_TOPIC, topic);
        add(headers, DeadLetterHeaders.ORIGIN_PARTITION, partition);
        add(headers, DeadLetterHeaders.ORIGIN_OFFSET, offset);
        add(headers, DeadLetterHeaders.ATTEMPT, attempt);
        add(headers, DeadLetterHeaders.NOT_BEFORE_MS, notBefore);
        return headers;
    }

    private static void add(RecordHeaders headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static <T> T single(List<T> list) {
        assertThat(list).hasSize(1);
        return list.get(0);
    }
}
