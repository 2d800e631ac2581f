package dev.arenaflow.topology.internal;

import static dev.arenaflow.topology.internal.TestArenas.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.plugin.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HaltTest {

    private final List<String> trips = new ArrayList<>();
    private final Halt halt = new Halt();

    @Test
    void shouldHoldMessagesInArrivalOrderUntilResumed() {
        assertThat(halt.resume()).isFalse();
        halt.halt();
        halt.hold(entry(10, 1), "s1");
        halt.hold(entry(11, 2), null);
        assertThat(halt.held()).isEqualTo(2);

        assertThat(halt.resume()).isTrue();
        assertThat(halt.halted()).isFalse();
        assertThat(halt.nextHeld()).isEqualTo(new Halt.Held(entry(10, 1).key(), 1, "s1"));
        assertThat(halt.nextHeld()).isEqualTo(new Halt.Held(entry(11, 2).key(), 2, null));
        assertThat(halt.nextHeld()).isNull();
    }

    @Test
    void shouldSayWhyOnlyWhenATripHaltsThePlugin() {
        halt.guardWith(breaker(0.5, 2), trips::add);

        halt.trip("first");
        halt.trip("second");
        assertThat(halt.halted()).isTrue();
        assertThat(trips).containsExactly("first");

        halt.resume();
        halt.halt();
        halt.trip("while paused");
        assertThat(trips).containsExactly("first");
    }

    @Test
    void shouldTripAtOnceOnAnErrorWithoutCountingItTowardsTheFailureRate() {
        halt.guardWith(breaker(0.5, 2), trips::add);

        assertThat(halt.tripReason(Outcome.fail(Dispatcher.PLUGIN_ERROR, new StackOverflowError("deep")), 0))
                .isEqualTo("the plugin threw java.lang.StackOverflowError: deep");
        assertThat(halt.tripReason(Outcome.fail("REJECTED", "no"), 0)).isNull();
        assertThat(halt.tripReason(Outcome.fail("REJECTED", "no"), 0)).startsWith("circuit breaker: 2 of the last 2");
    }

    @Test
    void shouldCountEmittedAttemptsAsSuccessesTowardsTheFailureRate() {
        halt.guardWith(breaker(0.5, 4), trips::add);

        for (int i = 0; i < 3; i++) {
            assertThat(halt.tripReason(Outcome.emit(List.of()), 0)).isNull();
        }
        assertThat(halt.tripReason(Outcome.retry(java.time.Duration.ofSeconds(1), "busy"), 0)).isNull();
        assertThat(halt.tripReason(Outcome.fail("REJECTED", "no"), 0)).isNull();
        assertThat(halt.tripReason(Outcome.fail("REJECTED", "no"), 0)).startsWith("circuit breaker: 3 of the last 6");
    }

    @Test
    void shouldForgetMessagesTakenPastTheBoundOnResumeAndKeepTheHaltOnClear() {
        halt.halt();
        halt.countBeyondBound();
        halt.countBeyondBound();
        halt.hold(entry(10, 1), null);
        assertThat(halt.beyondBound()).isEqualTo(2);

        halt.clear();
        assertThat(halt.halted()).isTrue();
        assertThat(halt.held()).isZero();
        assertThat(halt.beyondBound()).isZero();

        halt.countBeyondBound();
        halt.resume();
        assertThat(halt.beyondBound()).isZero();
    }

    private static CircuitBreaker breaker(double failureRate, int minAttempts) {
        return new CircuitBreaker(true, failureRate, 10_000, minAttempts);
    }
}
