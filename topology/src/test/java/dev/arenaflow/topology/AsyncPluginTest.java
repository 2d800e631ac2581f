package dev.arenaflow.topology;

import static dev.arenaflow.topology.plugins.ControlledAsyncPlugin.TYPE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.schemas.SessionSnapshot;
import dev.arenaflow.topology.plugins.ControlledAsyncPlugin;
import dev.arenaflow.topology.testing.ArenaflowDriver;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The async path with a plugin whose completions the test releases. */
class AsyncPluginTest {

    private static final Duration TICK = Duration.ofMillis(50);

    private ArenaflowDriver driver;

    @BeforeEach
    void reset() {
        ControlledAsyncPlugin.reset();
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    private void start(String... settings) {
        driver = ArenaflowDriver.forPlugins("async", settings);
    }

    @Test
    void shouldKeepOneMessagePerSourceInFlightAndEmitInInputOrderPerSource() {
        start();
        driver.send("a", 1, TYPE);
        driver.send("a", 2, TYPE);
        driver.send("b", 1, TYPE);

        assertThat(ControlledAsyncPlugin.pending()).containsExactlyInAnyOrder("a:1#1", "b:1#1");

        ControlledAsyncPlugin.emit("b:1#1");
        driver.advance(TICK);
        assertThat(sequences(driver.snapshots("async"))).containsExactly("b:1");

        ControlledAsyncPlugin.emit("a:1#1");
        driver.advance(TICK);
        assertThat(ControlledAsyncPlugin.pending()).containsExactly("a:2#1");
        ControlledAsyncPlugin.emit("a:2#1");
        driver.advance(TICK);

        assertThat(sequences(driver.snapshots("async"))).containsExactly("a:1", "a:2");
    }

    @Test
    void shouldDispatchEverythingAtOnceWhenUnordered() {
        start("plugin.async.ordered", "false");
        driver.send("a", 1, TYPE);
        driver.send("a", 2, TYPE);

        assertThat(ControlledAsyncPlugin.pending()).containsExactlyInAnyOrder("a:1#1", "a:2#1");
        ControlledAsyncPlugin.emit("a:2#1");
        driver.advance(TICK);
        assertThat(sequences(driver.snapshots("async"))).containsExactly("a:2");
    }

    @Test
    void shouldWaitForCompletionsAtTheInFlightBoundInsteadOfTakingMoreInput() throws Exception {
        start("plugin.async.max.in.flight", "2");
        driver.send("a", 1, TYPE);
        driver.send("b", 1, TYPE);
        Thread sender = Thread.currentThread();
        Thread releaser = new Thread(() -> {
            // Released only once the sender waits at the bound: that wait is what this test is about.
            awaitBlocked(sender);
            ControlledAsyncPlugin.emit("a:1#1");
        });
        releaser.start();

        driver.send("c", 1, TYPE);
        releaser.join();

        assertThat(ControlledAsyncPlugin.EVENTS).containsExactly(
                "dispatch a:1#1", "dispatch b:1#1", "release a:1#1", "dispatch c:1#1");
        assertThat(sequences(driver.snapshots("async"))).containsExactly("a:1");
    }

    @Test
    void shouldTimeAnAsyncAttemptFromItsStartToItsAppliedCompletion() {
        start();
        driver.send("a", 1, TYPE);
        assertThat(driver.metric(PluginMeterNames.IN_FLIGHT)).isEqualTo(1.0);
        driver.advance(Duration.ofMillis(300));
        ControlledAsyncPlugin.emit("a:1#1");
        driver.advance(TICK);

        assertThat(driver.metric(PluginMeterNames.IN_FLIGHT)).isZero();
        assertThat(driver.meters().get(PluginMeterNames.ASYNC_COMPLETION).timer().count()).isEqualTo(1);
        assertThat(driver.maxMillis(PluginMeterNames.ASYNC_COMPLETION)).isBetween(300.0, 300.0 + TICK.toMillis());
        assertThat(driver.metric(PluginMeterNames.SNAPSHOTS_OUT)).isEqualTo(1.0);
    }

    @Test
    void shouldGoOverTheBoundRatherThanBlockPastHalfTheMaxPollInterval() {
        start("plugin.async.max.in.flight", "1", "max.poll.interval.ms", "400");
        driver.send("a", 1, TYPE);
        driver.send("b", 1, TYPE);

        assertThat(ControlledAsyncPlugin.pending()).containsExactlyInAnyOrder("a:1#1", "b:1#1");
    }

    @Test
    void shouldIgnoreLateCompletionOfTimedOutAttemptAndCountIt() {
        start("plugin.async.timeout.ms", "1000", "plugin.async.retry.backoff", "100ms", "plugin.async.retry.jitter", "0");
        driver.send("a", 1, TYPE);

        driver.advance(Duration.ofMillis(1500));
        assertThat(ControlledAsyncPlugin.pending()).containsExactly("a:1#1");
        driver.advance(Duration.ofMillis(150));
        assertThat(ControlledAsyncPlugin.pending()).containsExactlyInAnyOrder("a:1#1", "a:1#2");
        ControlledAsyncPlugin.emit("a:1#1");
        driver.advance(TICK);

        assertThat(driver.snapshots("async")).isEmpty();
        assertThat(driver.metric(PluginMeterNames.STALE_COMPLETIONS)).isEqualTo(1.0);

        ControlledAsyncPlugin.emit("a:1#2");
        driver.advance(TICK);
        List<SessionSnapshot> out = driver.snapshots("async");
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getMeta().getAttempt()).isEqualTo(2);
    }

    @Test
    void shouldDeadLetterWhenEveryAttemptTimesOut() {
        start("plugin.async.timeout.ms", "1000", "plugin.async.retry.max.attempts", "2",
                "plugin.async.retry.backoff", "100ms", "plugin.async.retry.jitter", "0");
        driver.send("a", 1, TYPE);
        driver.advance(Duration.ofMillis(1100));
        driver.advance(Duration.ofMillis(150));
        assertThat(ControlledAsyncPlugin.pending()).containsExactlyInAnyOrder("a:1#1", "a:1#2");
        driver.advance(Duration.ofMillis(1100));

        List<TestRecord<byte[], byte[]>> dead = driver.deadLetters("async");
        assertThat(dead).hasSize(1);
        assertThat(ArenaflowDriver.header(dead.get(0), DeadLetterHeaders.ERROR_CODE)).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(ArenaflowDriver.header(dead.get(0), DeadLetterHeaders.ATTEMPT)).isEqualTo("2");
        assertThat(ArenaflowDriver.header(dead.get(0), DeadLetterHeaders.ERROR_MESSAGE)).contains("timed out");
    }

    @Test
    void shouldRetryExceptionalCompletionThroughItsRetryTopicAndReleaseTheSource() {
        start();
        driver.send("a", 1, TYPE);
        driver.send("a", 2, TYPE);
        ControlledAsyncPlugin.explode("a:1#1");
        driver.advance(TICK);

        assertThat(driver.retries("async", "1s")).extracting(r -> ArenaflowDriver.header(r, DeadLetterHeaders.ERROR_CODE))
                .containsExactly("PLUGIN_EXCEPTION");
        assertThat(driver.deadLetters("async")).isEmpty();
        assertThat(ControlledAsyncPlugin.pending()).containsExactly("a:2#1");
    }

    @Test
    void shouldRetryAfterTheAskedDelayAsTheNextAttemptWithoutHoldingTheSourceBack() {
        start("plugin.async.retry.jitter", "0");
        driver.send("a", 1, TYPE, ControlledAsyncPlugin.RETRY);
        driver.send("a", 2, TYPE);
        assertThat(ControlledAsyncPlugin.pending()).containsExactly("a:2#1");

        driver.advance(Duration.ofMillis(400));
        assertThat(ControlledAsyncPlugin.pending()).containsExactly("a:2#1");
        driver.advance(Duration.ofMillis(200));
        // Due, but a:2 is in flight and the plugin keeps one message per source in flight.
        assertThat(ControlledAsyncPlugin.pending()).containsExactly("a:2#1");
        ControlledAsyncPlugin.emit("a:2#1");
        driver.advance(TICK);
        assertThat(ControlledAsyncPlugin.pending()).containsExactly("a:1#2");
        ControlledAsyncPlugin.emit("a:1#2");
        driver.advance(TICK);

        assertThat(driver.snapshots("async")).extracting(s -> s.getMeta().getSequence() + "#" + s.getMeta().getAttempt())
                .containsExactly("2#1", "1#2");
    }

    @Test
    void shouldParkDeferredMessageDurablyAndDispatchItAgainWhenDueWhileItsSourceWaits() {
        start();
        driver.sendAt(driver.now(), "a", 1, TYPE, ControlledAsyncPlugin.DEFER);
        driver.send("a", 2, TYPE);
        driver.send("b", 1, TYPE);

        assertThat(ControlledAsyncPlugin.pending()).containsExactly("b:1#1");
        assertThat(driver.changelog("arena-async")).extracting(r -> r.value() != null).contains(true);

        driver.advance(Duration.ofMillis(ControlledAsyncPlugin.DEFER_MS + 1000));
        assertThat(ControlledAsyncPlugin.pending()).containsExactlyInAnyOrder("a:1#1", "b:1#1");
        ControlledAsyncPlugin.emit("a:1#1");
        driver.advance(TICK);
        assertThat(ControlledAsyncPlugin.pending()).containsExactlyInAnyOrder("a:2#1", "b:1#1");
    }

    @Test
    void shouldPersistEntriesPendingAtCommitAndTombstoneThemOnceAcked() {
        start();
        driver.send("a", 1, TYPE);
        assertThat(driver.changelog("arena-async")).hasSize(1).allSatisfy(r -> assertThat(r.value()).isNotNull());

        ControlledAsyncPlugin.emit("a:1#1");
        driver.advance(TICK);

        List<TestRecord<byte[], byte[]>> after = driver.changelog("arena-async");
        assertThat(after).hasSize(1);
        assertThat(after.get(0).value()).isNull();
    }

    private static List<String> sequences(List<SessionSnapshot> snapshots) {
        return snapshots.stream().map(s -> s.getMeta().getSource() + ":" + s.getMeta().getSequence()).toList();
    }

    private static void awaitBlocked(Thread thread) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the sender never waited; it is " + thread.getState());
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void shouldEmitThePluginsFallbackForATimedOutAttemptAndIgnoreItsLateCompletion() {
        start("plugin.async.timeout.ms", "1000");
        driver.send("a", 1, TYPE, ControlledAsyncPlugin.FALLBACK_ON_TIMEOUT);
        driver.advance(Duration.ofMillis(1_100));

        assertThat(driver.snapshots("async")).extracting(s -> s.getCount()).containsExactly(ControlledAsyncPlugin.FALLBACK_COUNT);
        assertThat(ControlledAsyncPlugin.EVENTS).containsExactly("dispatch a:1#1", "timeout a:1#1");

        ControlledAsyncPlugin.emit("a:1#1");
        driver.advance(TICK);
        assertThat(driver.snapshots("async")).isEmpty();
        assertThat(driver.metric(PluginMeterNames.STALE_COMPLETIONS)).isEqualTo(1.0);
        assertThat(driver.retries("async", "1s")).isEmpty();
    }

    @Test
    void shouldFailWithTimeoutAsByDefaultWhenOnTimeoutThrows() {
        start("plugin.async.timeout.ms", "1000");
        driver.send("a", 1, TYPE, ControlledAsyncPlugin.THROW_ON_TIMEOUT);
        driver.advance(Duration.ofMillis(1_100));

        assertThat(driver.snapshots("async")).isEmpty();
        assertThat(driver.retries("async", "1s")).singleElement().satisfies(r -> assertThat(
                dev.arenaflow.topology.testing.ArenaflowDriver.header(r, DeadLetterHeaders.ERROR_CODE)).isEqualTo("TIMEOUT"));
    }
}
