package dev.arenaflow.topology.internal;

import static dev.arenaflow.topology.internal.TestArenas.backFromRetry;
import static dev.arenaflow.topology.internal.TestArenas.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.topology.PluginLimits;
import dev.arenaflow.topology.arena.ArenaEntry;
import dev.arenaflow.topology.arena.ArenaStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    private final ArenaStore arena = TestArenas.arena();
    private final RecordingApplier applier = new RecordingApplier();
    private final NotBeforeQueue waiting = new NotBeforeQueue();
    private final SourceOrder order = new SourceOrder(true, TestArenas::sourceOf);
    private final Halt halt = new Halt();
    private final PluginLimits limits = PluginLimits.of(Map.of("max.in.flight", "2", "retry.max.parked", "4"));
    private final RetryScheduler retries = new RetryScheduler(arena, limits.retry(), applier, () -> 0, () -> 0);
    private final Admission admission = new Admission(arena, limits, applier, waiting, retries, order, halt);

    @Test
    void shouldCountEveryKindOfParkedMessage() {
        waiting.awaitRetryTime(backFromRetry(entry(10, 1), 100), null);
        waiting.defer(entry(11, 1).parkedUntil(100), null);
        retries.restoredAwaiting();
        order.headAwaitingRetry(entry(12, 1));
        order.waitBehind("s1", entry(13, 1).key());
        halt.countBeyondBound();

        // the deferred message is the only one not parked
        assertThat(admission.parked()).isEqualTo(4);
        assertThat(admission.atParkingBound()).isTrue();
    }

    @Test
    void shouldLeaveParkedMessagesOutOfTheInFlightBound() {
        arena.put(entry(10, 1));
        arena.put(entry(11, 1));
        assertThat(admission.atInFlightBound()).isTrue();

        waiting.awaitRetryTime(backFromRetry(entry(11, 1), 100), null);
        assertThat(admission.atInFlightBound()).isFalse();
        assertThat(admission.atParkingBound()).isFalse();
    }

    @Test
    void shouldDeadLetterAMessagePastTheParkingBoundAsParkedLimit() {
        ArenaEntry late = entry(10, 1);
        arena.put(late);
        for (int i = 0; i < 4; i++) {
            retries.restoredAwaiting();
        }

        admission.overflowParked(late);

        assertThat(applier.applied).containsExactly("dead 10#1 PARKED_LIMIT");
        assertThat(applier.failures.get(0).message()).isEqualTo(
                "the plugin already holds 4 messages waiting for a retry, or parked behind one or behind a quarantined "
                + "source, its bound (retry.max.parked)");
        assertThat(applier.failures.get(0).errorClass()).isEqualTo(Failure.CHOSEN);
        assertThat(arena.get(late.key())).isNull();
        assertThat(admission.overflows()).isEqualTo(1);
    }

    @Test
    void shouldNameBothBoundsWhenAHaltedPluginCannotHoldMore() {
        ArenaEntry late = entry(10, 1);

        admission.overflowHalted(late);

        assertThat(applier.failures.get(0).message()).isEqualTo("the plugin is halted and already holds 0 messages, "
                + "its bounds (max.in.flight 2 plus retry.max.parked 4)");
        assertThat(admission.overflows()).isEqualTo(1);
    }
}
