package dev.arenaflow.topology.internal;

import static dev.arenaflow.topology.internal.TestArenas.backFromRetry;
import static dev.arenaflow.topology.internal.TestArenas.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.topology.PluginLimits;
import dev.arenaflow.topology.arena.ArenaEntry;
import dev.arenaflow.topology.arena.ArenaStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher coordinating its parts, on a clock the test moves. Unless a test scripts an
 * outcome, every dispatch stays pending (an async attempt) until the test completes it; attempts
 * are named {@code offset#attempt}.
 */
class DispatcherTest {

    private final Map<String, CompletableFuture<Outcome>> pending = new LinkedHashMap<>();
    private final Map<String, Outcome> scripted = new HashMap<>();
    /** The plugin's timeout verdicts, by attempt; an attempt not here gets the default. */
    private final Map<String, Outcome> verdicts = new HashMap<>();
    private final List<String> judged = new ArrayList<>();
    private final RecordingApplier applier = new RecordingApplier();
    private final List<String> trips = new ArrayList<>();
    private final ArenaStore arena = TestArenas.arena();
    private Dispatcher dispatcher = dispatcher(Map.of());
    private long now;

    private Dispatcher dispatcher(Map<String, String> limits) {
        return new Dispatcher(arena, PluginLimits.of(limits), new Handler(), applier, () -> now, () -> 0.0);
    }

    @Test
    void shouldKeepARestoredOrderedRetryAtTheHeadOfItsSourceUntilItsRetryRecordComesBackAndIsDue() {
        arena.put(entry(10, 1).awaitingRetry());
        arena.put(entry(11, 1));
        arena.put(entry(12, 1));
        TestArenas.restart(arena);
        dispatcher = dispatcher(Map.of("retry.ordered", "true"));

        dispatcher.recover();
        assertThat(pending).isEmpty();
        assertThat(dispatcher.parked()).isEqualTo(3);

        ArenaEntry back = backFromRetry(entry(10, 1), 1_000);
        assertThat(dispatcher.submitRetry(back)).isTrue();
        assertThat(dispatcher.submitRetry(back)).isFalse();
        dispatcher.poll();
        assertThat(pending).isEmpty();

        now = 1_000;
        dispatcher.poll();
        assertThat(pending).containsOnlyKeys("10#2");
        complete("10#2", Outcome.emit(List.of()));
        dispatcher.poll();

        assertThat(applier.applied).containsExactly("10#2");
        assertThat(pending).containsOnlyKeys("11#2");
        assertThat(dispatcher.parked()).isZero();
        assertThat(dispatcher.redelivered()).isEqualTo(1);
    }

    @Test
    void shouldWaitForARestoredRetryAsTheSameAttemptWithoutHoldingItsSource() {
        arena.put(backFromRetry(entry(10, 2), 1_000));
        TestArenas.restart(arena);

        dispatcher.recover();
        assertThat(dispatcher.submitConsumed(entry(11, 1))).isTrue();
        assertThat(pending).containsOnlyKeys("11#1");

        now = 1_000;
        dispatcher.poll();
        complete("11#1", Outcome.emit(List.of()));
        dispatcher.poll();

        assertThat(pending).containsOnlyKeys("10#3");
    }

    @Test
    void shouldKeepRestoredEntryWhenItsRecordIsConsumedAgainAndThenReleaseTheSource() {
        arena.put(entry(10, 1));
        TestArenas.restart(arena);

        dispatcher.recover();
        assertThat(dispatcher.submitConsumed(entry(10, 1))).isFalse();
        assertThat(dispatcher.submitConsumed(entry(11, 1))).isTrue();
        assertThat(pending).containsOnlyKeys("10#2");

        complete("10#2", Outcome.emit(List.of()));
        dispatcher.poll();

        assertThat(applier.applied).containsExactly("10#2");
        assertThat(pending).containsOnlyKeys("11#1");
        assertThat(dispatcher.redelivered()).isEqualTo(1);
    }

    @Test
    void shouldHandleOneMessagePerSourceAtATimeInInputOrder() {
        dispatcher.submitConsumed(entry(10, 1, 1));
        dispatcher.submitConsumed(entry(11, 1, 1));
        dispatcher.submitConsumed(entry(12, 1, 2));
        assertThat(pending).containsOnlyKeys("10#1", "12#1");
        assertThat(dispatcher.inFlight()).isEqualTo(2);

        complete("10#1", Outcome.emit(List.of()));
        dispatcher.poll();

        assertThat(applier.applied).containsExactly("10#1");
        assertThat(pending).containsOnlyKeys("11#1", "12#1");
    }

    @Test
    void shouldDispatchEveryMessageAtOnceWithoutPerSourceOrder() {
        dispatcher = dispatcher(Map.of("ordered", "false"));

        dispatcher.submitConsumed(entry(10, 1, 1));
        dispatcher.submitConsumed(entry(11, 1, 1));

        assertThat(pending).containsOnlyKeys("10#1", "11#1");
    }

    @Test
    void shouldAcknowledgeASyncOutcomeAtOnceAndLeaveNothingBehind() {
        scripted.put("10#1", Outcome.emit(List.of()));
        scripted.put("11#1", Outcome.fail("UNKNOWN_SOURCE", "no such source"));

        dispatcher.submitConsumed(entry(10, 1));
        dispatcher.submitConsumed(entry(11, 1));

        assertThat(applier.applied).containsExactly("10#1", "dead 11#1 UNKNOWN_SOURCE");
        assertThat(arena.size()).isZero();
        assertThat(dispatcher.inFlight()).isZero();
    }

    @Test
    void shouldDeferAMessageUntilItsTimeWhileLaterMessagesOfItsSourceWait() {
        scripted.put("10#1", Outcome.defer(Instant.ofEpochMilli(500)));

        dispatcher.submitConsumed(entry(10, 1));
        dispatcher.submitConsumed(entry(11, 1));
        assertThat(pending).isEmpty();
        assertThat(dispatcher.parked()).isZero();

        now = 499;
        dispatcher.poll();
        assertThat(pending).isEmpty();

        now = 500;
        scripted.put("10#1", Outcome.emit(List.of()));
        dispatcher.poll();
        assertThat(applier.applied).containsExactly("10#1");
        assertThat(pending).containsOnlyKeys("11#1");
    }

    @Test
    void shouldSendATimedOutAttemptToItsRetryTopicAndDeadLetterItAfterTheLastAttempt() {
        dispatcher = dispatcher(Map.of("timeout.ms", "1000", "retry.backoff", "1s", "retry.max.attempts", "2"));
        dispatcher.submitConsumed(entry(10, 1));

        now = 1_000;
        dispatcher.poll();
        assertThat(applier.applied).containsExactly("retry 10#1 TIMEOUT 1000ms@2000");
        assertThat(arena.size()).isZero();
        assertThat(dispatcher.retriesSent()).isEqualTo(1);

        dispatcher.submitRetry(backFromRetry(entry(10, 1), 2_000));
        assertThat(dispatcher.parked()).isEqualTo(1);
        now = 2_000;
        dispatcher.poll();
        completeExceptionally("10#2", new IllegalStateException("down"));
        dispatcher.poll();

        assertThat(applier.applied).containsExactly("retry 10#1 TIMEOUT 1000ms@2000", "dead 10#2 RETRIES_EXHAUSTED");
        assertThat(arena.size()).isZero();
        assertThat(dispatcher.parked()).isZero();
    }

    @Test
    void shouldHoldMessagesWhileHaltedAndDispatchThemInArrivalOrderOnResume() {
        dispatcher.halt();
        dispatcher.submitConsumed(entry(10, 1, 1));
        dispatcher.submitConsumed(entry(11, 1, 2));
        dispatcher.submitConsumed(entry(12, 1, 1));
        assertThat(pending).isEmpty();
        assertThat(dispatcher.held()).isEqualTo(2);

        dispatcher.resume();

        assertThat(pending.keySet()).containsExactly("10#1", "11#1");
        assertThat(dispatcher.held()).isZero();
    }

    @Test
    void shouldHaltAndHoldTheNextMessageOnceTheBreakerTrips() {
        dispatcher.guardWith(new CircuitBreaker(true, 0.5, 10_000, 2), trips::add);
        scripted.put("10#1", Outcome.fail("REJECTED", "no"));
        scripted.put("11#1", Outcome.fail("REJECTED", "no"));

        dispatcher.submitConsumed(entry(10, 1, 1));
        dispatcher.submitConsumed(entry(11, 1, 2));
        dispatcher.submitConsumed(entry(12, 1, 3));

        assertThat(trips).singleElement().asString().startsWith("circuit breaker: 2 of the last 2");
        assertThat(dispatcher.halted()).isTrue();
        assertThat(pending).isEmpty();
        assertThat(dispatcher.held()).isEqualTo(1);
    }

    @Test
    void shouldKeepHoldingWhatIsLeftWhenATripHaltsThePluginDuringResume() {
        dispatcher.guardWith(new CircuitBreaker(false, 1, 1, 1), trips::add);
        scripted.put("10#1", Outcome.fail(Dispatcher.PLUGIN_ERROR, "broken"));
        dispatcher.halt();
        dispatcher.submitConsumed(entry(10, 1, 1));
        dispatcher.submitConsumed(entry(11, 1, 2));
        dispatcher.submitConsumed(entry(12, 1, 3));

        dispatcher.resume();
        assertThat(trips).hasSize(1);
        assertThat(dispatcher.halted()).isTrue();
        assertThat(dispatcher.held()).isEqualTo(2);

        dispatcher.resume();
        assertThat(pending).containsOnlyKeys("11#1", "12#1");
    }

    @Test
    void shouldDeadLetterWhatAHaltedPluginCannotHoldPastBothBounds() {
        dispatcher = dispatcher(Map.of("max.in.flight", "1", "retry.max.parked", "1"));
        dispatcher.halt();

        dispatcher.submitConsumed(entry(10, 1, 1));
        dispatcher.submitConsumed(entry(11, 1, 2));
        assertThat(dispatcher.parked()).isEqualTo(1);
        dispatcher.submitConsumed(entry(12, 1, 3));

        assertThat(applier.applied).containsExactly("dead 12#1 PARKED_LIMIT");
        assertThat(dispatcher.parkedLimitHits()).isEqualTo(1);
        assertThat(dispatcher.held()).isEqualTo(2);

        dispatcher.resume();
        assertThat(dispatcher.parked()).isZero();
        assertThat(pending).containsOnlyKeys("10#1", "11#1");
    }

    @Test
    void shouldWaitForRoomOnlyWhileTheInFlightBoundIsReached() throws InterruptedException {
        dispatcher = dispatcher(Map.of("max.in.flight", "1"));
        dispatcher.submitConsumed(entry(10, 1));

        assertThat(dispatcher.awaitCapacity(0)).isFalse();

        complete("10#1", Outcome.emit(List.of()));
        assertThat(dispatcher.awaitCapacity(60_000)).isTrue();
        assertThat(applier.applied).containsExactly("10#1");
    }

    @Test
    void shouldForgetEverythingInMemoryOnClearButKeepTheArena() {
        dispatcher.submitConsumed(entry(10, 1));
        dispatcher.submitRetry(backFromRetry(entry(11, 1), 1_000));

        dispatcher.clear();

        assertThat(dispatcher.inFlight()).isZero();
        assertThat(dispatcher.parked()).isZero();
        assertThat(arena.size()).isEqualTo(2);
        complete("10#1", Outcome.emit(List.of()));
        dispatcher.poll();
        assertThat(applier.applied).isEmpty();
        assertThat(dispatcher.staleCompletions()).isEqualTo(1);
    }

    @Test
    void shouldParkTheBacklogOfAQuarantinedSourceSoThatOtherSourcesKeepTheInFlightCapacity() throws Exception {
        dispatcher = dispatcher(Map.of("max.in.flight", "4", "quarantine.max.share", "0.25",
                "retry.max.parked", "4"));
        for (long offset = 10; offset <= 14; offset++) {
            assertThat(dispatcher.submitConsumed(entry(offset, 1, 1))).isTrue();
        }
        assertThat(dispatcher.quarantinedSources()).isEqualTo(1);
        assertThat(dispatcher.parked()).isEqualTo(4);
        assertThat(dispatcher.awaitCapacity(0)).as("room for other sources").isTrue();

        dispatcher.submitConsumed(entry(15, 1, 1));
        assertThat(applier.applied).containsExactly("dead 15#1 PARKED_LIMIT");
        dispatcher.submitConsumed(entry(20, 1, 2));
        dispatcher.submitConsumed(entry(21, 1, 3));
        assertThat(pending).containsOnlyKeys("10#1", "20#1", "21#1");

        for (String head : List.of("10#1", "11#1", "12#1", "13#1", "14#1")) {
            complete(head, Outcome.emit(List.of()));
            dispatcher.poll();
        }
        assertThat(applier.applied).containsExactly("dead 15#1 PARKED_LIMIT", "10#1", "11#1", "12#1", "13#1", "14#1");
        assertThat(dispatcher.quarantinedSources()).isZero();
        assertThat(dispatcher.quarantines()).isEqualTo(1);
        assertThat(dispatcher.parked()).isZero();
    }

    @Test
    void shouldLetOneSourcesBacklogTakeTheInFlightCapacityWithoutQuarantine() throws Exception {
        dispatcher = dispatcher(Map.of("max.in.flight", "4", "quarantine.enabled", "false"));
        for (long offset = 10; offset <= 14; offset++) {
            dispatcher.submitConsumed(entry(offset, 1, 1));
        }
        assertThat(dispatcher.parked()).isZero();
        assertThat(dispatcher.awaitCapacity(0)).isFalse();
    }

    @Test
    void shouldQuarantineASourceWhoseHeadHasWaitedTooLongAndReleaseItWhenItCatchesUp() {
        dispatcher = dispatcher(Map.of("quarantine.after.ms", "1000"));
        dispatcher.submitConsumed(entry(10, 1, 1));
        dispatcher.submitConsumed(entry(11, 1, 1));
        now = 1_001;
        dispatcher.poll();
        assertThat(dispatcher.quarantinedSources()).isEqualTo(1);
        assertThat(dispatcher.parked()).isEqualTo(1);

        complete("10#1", Outcome.emit(List.of()));
        dispatcher.poll();
        assertThat(dispatcher.quarantinedSources()).as("11 arrived 1001 ms ago").isEqualTo(1);
        assertThat(pending).containsOnlyKeys("11#1");
        dispatcher.submitConsumed(entry(12, 1, 1));
        complete("11#1", Outcome.emit(List.of()));
        dispatcher.poll();
        assertThat(dispatcher.quarantinedSources()).isZero();
        assertThat(pending).containsOnlyKeys("12#1");
    }

    @Test
    void shouldApplyAFallbackVerdictOnTimeoutAndIgnoreTheLateCompletion() {
        dispatcher = dispatcher(Map.of("timeout.ms", "1000"));
        verdicts.put("10#1", Outcome.emit(List.of()));
        dispatcher.submitConsumed(entry(10, 1));
        CompletableFuture<Outcome> late = pending.remove("10#1");

        now = 1_000;
        dispatcher.poll();
        late.complete(Outcome.fail("LATE", "too late"));
        dispatcher.poll();

        assertThat(judged).containsExactly("10#1");
        assertThat(applier.applied).containsExactly("10#1");
        assertThat(dispatcher.staleCompletions()).isEqualTo(1);
        assertThat(arena.size()).isZero();
    }

    @Test
    void shouldDeadLetterOnAFailVerdictAndIgnoreTheLateCompletion() {
        dispatcher = dispatcher(Map.of("timeout.ms", "1000"));
        verdicts.put("10#1", Outcome.fail("GAVE_UP", "the service did not answer"));
        dispatcher.submitConsumed(entry(10, 1));
        CompletableFuture<Outcome> late = pending.remove("10#1");

        now = 1_000;
        dispatcher.poll();
        late.complete(Outcome.emit(List.of()));
        dispatcher.poll();

        assertThat(applier.applied).containsExactly("dead 10#1 GAVE_UP");
        assertThat(dispatcher.staleCompletions()).isEqualTo(1);
        assertThat(arena.size()).isZero();
    }

    @Test
    void shouldRetryOnARetryVerdictAndIgnoreTheLateCompletionWhileTheSourceWaitsForTheRetry() {
        dispatcher = dispatcher(Map.of("timeout.ms", "1000", "retry.backoff", "1s", "retry.ordered", "true"));
        verdicts.put("10#1", Outcome.retry(java.time.Duration.ofSeconds(5), "try the other region"));
        dispatcher.submitConsumed(entry(10, 1));
        dispatcher.submitConsumed(entry(11, 1));
        CompletableFuture<Outcome> late = pending.remove("10#1");

        now = 1_000;
        dispatcher.poll();
        late.complete(Outcome.emit(List.of()));
        dispatcher.poll();

        assertThat(applier.applied).containsExactly("retry 10#1 RETRY 1000ms@6000");
        assertThat(dispatcher.staleCompletions()).isEqualTo(1);
        assertThat(pending).as("11 waits behind the retry").isEmpty();

        now = 6_000;
        dispatcher.submitRetry(backFromRetry(entry(10, 1), 6_000));
        dispatcher.poll();
        complete("10#2", Outcome.emit(List.of()));
        dispatcher.poll();
        assertThat(applier.applied).containsExactly("retry 10#1 RETRY 1000ms@6000", "10#2");
        assertThat(pending).containsOnlyKeys("11#1");
    }

    @Test
    void shouldNotAskForAVerdictWhenTheCompletionArrivesFirstEvenInTheSamePoll() {
        dispatcher = dispatcher(Map.of("timeout.ms", "1000"));
        verdicts.put("10#1", Outcome.fail("GAVE_UP", "unused"));
        dispatcher.submitConsumed(entry(10, 1));
        dispatcher.submitConsumed(entry(20, 1, 2));

        complete("10#1", Outcome.emit(List.of()));
        dispatcher.poll();
        now = 1_000;
        complete("20#1", Outcome.emit(List.of()));
        dispatcher.poll();

        assertThat(judged).isEmpty();
        assertThat(applier.applied).containsExactly("10#1", "20#1");
        assertThat(dispatcher.staleCompletions()).isZero();
    }

    @Test
    void shouldFailWithTimeoutAsBeforeWithoutAVerdict() {
        dispatcher = dispatcher(Map.of("timeout.ms", "1000", "retry.backoff", "1s"));
        dispatcher.submitConsumed(entry(10, 1));

        now = 1_000;
        dispatcher.poll();

        assertThat(judged).containsExactly("10#1");
        assertThat(applier.applied).containsExactly("retry 10#1 TIMEOUT 1000ms@2000");
    }

    @Test
    void shouldTimeOutAnAttemptWhileWaitingForCapacityThoughTheTasksClockStandsStill() throws Exception {
        // Kafka Streams' cached time does not move inside process(); the wait must not stop time.
        dispatcher = dispatcher(Map.of("max.in.flight", "1", "timeout.ms", "50", "retry.backoff", "1s"));
        dispatcher.submitConsumed(entry(10, 1));

        assertThat(dispatcher.awaitCapacity(60_000)).isTrue();
        assertThat(applier.applied).singleElement().asString().startsWith("retry 10#1 TIMEOUT 1000ms@");
    }

    private void complete(String attempt, Outcome outcome) {
        pending.remove(attempt).complete(outcome);
    }

    private void completeExceptionally(String attempt, Throwable error) {
        pending.remove(attempt).completeExceptionally(error);
    }

    /** Returns the scripted outcome of an attempt, else a pending one; the source is read from the value. */
    private final class Handler implements Dispatcher.Handler {

        @Override
        public Outcome handle(ArenaEntry entry) {
            String attempt = entry.key().offset() + "#" + entry.attempt();
            Outcome outcome = scripted.get(attempt);
            if (outcome != null) {
                return outcome;
            }
            CompletableFuture<Outcome> future = new CompletableFuture<>();
            pending.put(attempt, future);
            return Outcome.later(future);
        }

        @Override
        public String sourceOf(ArenaEntry entry) {
            return TestArenas.sourceOf(entry);
        }

        @Override
        public Outcome onTimeout(ArenaEntry entry, Outcome timeout) {
            String attempt = entry.key().offset() + "#" + entry.attempt();
            judged.add(attempt);
            return verdicts.getOrDefault(attempt, timeout);
        }
    }
}
