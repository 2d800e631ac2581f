package dev.arenaflow.topology.internal;

import static dev.arenaflow.topology.internal.TestArenas.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.topology.RetryPolicy;
import dev.arenaflow.topology.arena.ArenaEntry;
import dev.arenaflow.topology.arena.ArenaStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetrySchedulerTest {

    private static final Failure SLOW = new Failure(Dispatcher.TIMEOUT, "slow", "java.util.concurrent.TimeoutException");

    private final ArenaStore arena = TestArenas.arena();
    private final RecordingApplier applier = new RecordingApplier();
    private long now = 1_000;

    @Test
    void shouldSendAFailedAttemptToTheFirstLongEnoughTierDueAfterItsWaitPlusJitter() {
        RetryScheduler retries = scheduler(false);
        ArenaEntry failed = held(entry(10, 1));

        assertThat(retries.send(failed, Duration.ofSeconds(2), SLOW)).isTrue();

        // wait 2000 ms, plus jitter 0.5 x 2000 x random 0.25 = 250 ms, from now (1000)
        assertThat(applier.applied).containsExactly("retry 10#1 TIMEOUT 10000ms@3250");
        assertThat(applier.failures).containsExactly(SLOW);
        assertThat(arena.get(failed.key())).isNull();
        assertThat(retries.sent()).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterTheLastAttemptAsRetriesExhaustedWithTheLastFailure() {
        RetryScheduler retries = scheduler(false);
        ArenaEntry last = held(entry(10, 3));

        assertThat(retries.send(last, Duration.ofSeconds(1), SLOW)).isTrue();

        assertThat(applier.applied).containsExactly("dead 10#3 RETRIES_EXHAUSTED");
        assertThat(applier.failures).containsExactly(new Failure(Dispatcher.RETRIES_EXHAUSTED,
                "attempt 3 of 3 failed: TIMEOUT: slow", "java.util.concurrent.TimeoutException"));
        assertThat(arena.get(last.key())).isNull();
        assertThat(retries.sent()).isZero();
    }

    @Test
    void shouldKeepTheMessageAwaitingItsRetryRecordWhenRetriesKeepTheSourcesOrder() {
        RetryScheduler retries = scheduler(true);
        ArenaEntry failed = held(entry(10, 1));

        assertThat(retries.send(failed, Duration.ofSeconds(1), SLOW)).isFalse();

        assertThat(applier.applied).containsExactly("retry 10#1 TIMEOUT 1000ms@2125");
        assertThat(arena.get(failed.key()).stage()).isEqualTo(ArenaEntry.Stage.AWAITING_RETRY);
        assertThat(retries.awaitingRecord()).isEqualTo(1);

        retries.recordReturned();
        retries.restoredAwaiting();
        retries.restoredAwaiting();
        assertThat(retries.awaitingRecord()).isEqualTo(2);
        retries.clear();
        assertThat(retries.awaitingRecord()).isZero();
    }

    @Test
    void shouldLetAMessageTooLargeToRetryLeaveAsADeadLetterWithoutHoldingItsSource() {
        RetryScheduler retries = scheduler(true);
        applier.retriesTooLarge = true;
        ArenaEntry failed = held(entry(10, 1));

        assertThat(retries.send(failed, Duration.ofSeconds(1), SLOW)).isTrue();

        assertThat(applier.applied).containsExactly("dead 10#1 RETRY_TOO_LARGE");
        assertThat(arena.get(failed.key())).isNull();
        assertThat(retries.awaitingRecord()).isZero();
        assertThat(retries.sent()).isZero();
    }

    @Test
    void shouldRetryOnlyExceptionsAndTimeoutsAmongFailures() {
        assertThat(RetryScheduler.retriable(Dispatcher.PLUGIN_EXCEPTION)).isTrue();
        assertThat(RetryScheduler.retriable(Dispatcher.TIMEOUT)).isTrue();
        assertThat(RetryScheduler.retriable(Dispatcher.PLUGIN_ERROR)).isFalse();
        assertThat(RetryScheduler.retriable("UNKNOWN_SOURCE")).isFalse();
    }

    private RetryScheduler scheduler(boolean orderedAcrossRetries) {
        RetryPolicy policy = new RetryPolicy(List.of(Duration.ofSeconds(1), Duration.ofSeconds(10)), 3, 0.5,
                orderedAcrossRetries, 100);
        return new RetryScheduler(arena, policy, applier, () -> now, () -> 0.25);
    }

    private ArenaEntry held(ArenaEntry entry) {
        arena.put(entry);
        return entry;
    }
}
