package dev.arenaflow.topology.internal;

import static dev.arenaflow.topology.internal.TestArenas.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.plugin.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Attempts in flight on a clock the test moves; each settlement is noted as {@code offset#attempt source outcome}. */
class AsyncAttemptsTest {

    private static final long TIMEOUT_MS = 1_000;

    private final List<String> settled = new ArrayList<>();
    private final List<Long> latencies = new ArrayList<>();
    private long now;
    private final AsyncAttempts attempts = new AsyncAttempts(TIMEOUT_MS, () -> now,
            (key, outcome, source) -> settled.add(key.offset() + " " + source + " " + outcome));

    {
        attempts.onCompletion(latencies::add);
    }

    @Test
    void shouldSettleACompletionOnlyWhenTheStreamThreadDrainsIt() {
        CompletableFuture<Outcome> stage = track(10, 1, "s1");
        Outcome emit = Outcome.emit(List.of());

        stage.complete(emit);
        assertThat(settled).isEmpty();
        assertThat(attempts.size()).isEqualTo(1);

        now = 250;
        attempts.drain();
        assertThat(settled).containsExactly("10 s1 " + emit);
        assertThat(attempts.size()).isZero();
        assertThat(latencies).containsExactly(250L);
    }

    @Test
    void shouldFailAnAttemptAtItsDeadlineAndIgnoreItsLateCompletion() {
        CompletableFuture<Outcome> stage = track(10, 1, null);

        now = TIMEOUT_MS - 1;
        attempts.expire();
        assertThat(settled).isEmpty();

        now = TIMEOUT_MS;
        attempts.expire();
        assertThat(settled).containsExactly("10 null Fail[TIMEOUT: attempt 1 timed out after 1000 ms]");

        stage.complete(Outcome.emit(List.of()));
        attempts.drain();
        assertThat(settled).hasSize(1);
        assertThat(attempts.stale()).isEqualTo(1);
    }

    @Test
    void shouldSettleOnlyTheLatestAttemptOfAMessage() {
        CompletableFuture<Outcome> first = track(10, 1, null);
        now = 500;
        CompletableFuture<Outcome> second = track(10, 2, null);

        first.complete(Outcome.fail("LATE", "superseded"));
        attempts.drain();
        now = TIMEOUT_MS;
        attempts.expire();
        assertThat(settled).isEmpty();
        assertThat(attempts.stale()).isEqualTo(1);

        second.complete(Outcome.fail("DONE", "second"));
        attempts.drain();
        assertThat(settled).containsExactly("10 null Fail[DONE: second]");
    }

    @Test
    void shouldTurnAFailedOrUnfinishedStageIntoAFailedAttempt() {
        assertThat(fail(AsyncAttempts.outcomeOf(new Completion(null, 1, null,
                new CompletionException(new IllegalStateException("down")))))).isEqualTo("PLUGIN_EXCEPTION: down");
        assertThat(fail(AsyncAttempts.outcomeOf(new Completion(null, 1, null, new StackOverflowError("deep")))))
                .isEqualTo("PLUGIN_ERROR: deep");
        assertThat(fail(AsyncAttempts.outcomeOf(new Completion(null, 1, null, null)))).startsWith("NULL_OUTCOME");
        assertThat(fail(AsyncAttempts.outcomeOf(new Completion(null, 1,
                Outcome.later(new CompletableFuture<>()), null)))).startsWith("NESTED_LATER");

        Outcome emit = Outcome.emit(List.of());
        assertThat(AsyncAttempts.outcomeOf(new Completion(null, 1, emit, null))).isSameAs(emit);
    }

    @Test
    void shouldSettleAnArrivedCompletionWhileWaitingAndReturnAtOnceWhenNoneCame() throws InterruptedException {
        CompletableFuture<Outcome> stage = track(10, 1, null);
        assertThat(attempts.awaitOne(0)).isFalse();

        stage.completeExceptionally(new IllegalStateException("down"));
        assertThat(attempts.awaitOne(60_000)).isTrue();
        assertThat(settled).containsExactly("10 null Fail[PLUGIN_EXCEPTION: down]");
    }

    @Test
    void shouldReportTheEarliestDeadlineAndTreatCompletionsAfterAClearAsStale() {
        assertThat(attempts.nextDeadlineMs()).isEqualTo(Long.MAX_VALUE);
        CompletableFuture<Outcome> stage = track(10, 1, null);
        now = 300;
        track(11, 1, null);
        assertThat(attempts.nextDeadlineMs()).isEqualTo(TIMEOUT_MS);

        attempts.clear();
        stage.complete(Outcome.emit(List.of()));
        attempts.drain();

        assertThat(attempts.size()).isZero();
        assertThat(attempts.nextDeadlineMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(settled).isEmpty();
        assertThat(attempts.stale()).isEqualTo(1);
    }

    private CompletableFuture<Outcome> track(long offset, int attempt, String source) {
        CompletableFuture<Outcome> stage = new CompletableFuture<>();
        attempts.track(entry(offset, attempt), (Outcome.Later) Outcome.later(stage), source);
        return stage;
    }

    private static String fail(Outcome outcome) {
        Outcome.Fail fail = (Outcome.Fail) outcome;
        return fail.code() + ": " + fail.message();
    }
}
