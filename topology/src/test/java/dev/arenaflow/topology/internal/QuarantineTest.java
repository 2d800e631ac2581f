package dev.arenaflow.topology.internal;

import static dev.arenaflow.topology.internal.TestArenas.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.topology.PluginLimits;
import dev.arenaflow.topology.arena.ArenaKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a source is quarantined and released, on queues the test fills and a clock it moves. */
class QuarantineTest {

    private static final PluginLimits.Quarantine AFTER_1S_OR_2_WAITING = new PluginLimits.Quarantine(true, 1_000, 0.2);

    private final SourceQueues queues = new SourceQueues();
    private final List<String> told = new ArrayList<>();
    private final Quarantine quarantine = listening(new Quarantine(queues, AFTER_1S_OR_2_WAITING, 10, () -> false));

    @Test
    void shouldQuarantineASourceWithMoreThanItsShareWaitingAndReleaseItOnceCaughtUp() {
        add("hot", 10, 0);
        add("hot", 11, 0);
        add("hot", 12, 0);
        assertThat(told).isEmpty();

        add("hot", 13, 0);
        assertThat(told).containsExactly("quarantined hot: 3 messages wait behind its head, more than 2 "
                + "(quarantine.max.share of max.in.flight)");
        assertThat(queues.parkedBehind()).isEqualTo(3);

        add("hot", 14, 0);
        assertThat(queues.parkedBehind()).isEqualTo(4);
        resolve("hot", 100);
        assertThat(queues.quarantined("hot")).as("3 still wait").isTrue();
        assertThat(queues.parkedBehind()).isEqualTo(3);
        resolve("hot", 100);
        assertThat(told).last().isEqualTo("released hot");
        assertThat(queues.parkedBehind()).isZero();
        assertThat(quarantine.sources()).isZero();
        assertThat(quarantine.quarantines()).isEqualTo(1);
    }

    @Test
    void shouldQuarantineASourceWhoseHeadWaitedTooLongAtTheNextSweepAndKeepItWhileItsNextHeadIsOld() {
        add("slow", 10, 0);
        add("slow", 11, 500);
        add("fine", 12, 900);
        quarantine.sweep(1_000);
        assertThat(told).isEmpty();

        quarantine.sweep(1_249);
        assertThat(told).as("the next sweep is a quarter of quarantine.after.ms later").isEmpty();
        quarantine.sweep(1_250);
        assertThat(told).containsExactly("quarantined slow: its oldest un-acknowledged message arrived 1250 ms ago, "
                + "longer than quarantine.after.ms (1000), and 1 wait behind it");
        assertThat(queues.parkedBehind()).isEqualTo(1);

        resolve("slow", 1_600);
        assertThat(queues.quarantined("slow")).as("its next head arrived 1100 ms ago").isTrue();
        assertThat(queues.resolveHead("slow")).isNull();
        assertThat(quarantine.sources()).isZero();
    }

    @Test
    void shouldLookForOldHeadsAtMostEveryQuarterOfTheTime() {
        quarantine.sweep(0);
        add("slow", 10, 0);
        quarantine.sweep(1_100);
        assertThat(told).hasSize(1);

        add("late", 11, 100);
        quarantine.sweep(1_200);
        assertThat(told).hasSize(1);
        quarantine.sweep(1_350);
        assertThat(told).hasSize(2);
    }

    @Test
    void shouldLeaveARetryingSourceToItsRetryAndDoNothingWhenOff() {
        add("retrying", 10, 0);
        add("retrying", 11, 0);
        queues.setRetrying("retrying", true);
        quarantine.sweep(5_000);
        assertThat(told).isEmpty();

        Quarantine off = listening(new Quarantine(queues, PluginLimits.Quarantine.OFF, 10, () -> false));
        for (int offset = 12; offset < 30; offset++) {
            queues.add("hot", key(offset), 0);
            off.afterWait("hot");
        }
        off.sweep(1_000_000);
        assertThat(told).isEmpty();
        assertThat(queues.quarantinedSources()).isZero();
    }

    @Test
    void shouldNeitherQuarantineNorReleaseWhileThePluginIsHalted() {
        boolean[] halted = {true};
        Quarantine paused = listening(new Quarantine(queues, AFTER_1S_OR_2_WAITING, 10, () -> halted[0]));
        for (int offset = 10; offset < 15; offset++) {
            queues.add("held", key(offset), 0);
            paused.afterWait("held");
        }
        paused.sweep(5_000);
        assertThat(told).isEmpty();

        halted[0] = false;
        paused.sweep(5_000);
        assertThat(told).hasSize(1);
        halted[0] = true;
        queues.resolveHead("held");
        queues.resolveHead("held");
        queues.resolveHead("held");
        paused.afterResolve("held", 5_000);
        assertThat(queues.quarantined("held")).isTrue();
    }

    private void add(String source, long offset, long arrivedMs) {
        boolean behind = queues.busy(source);
        queues.add(source, key(offset), arrivedMs);
        if (behind) {
            quarantine.afterWait(source);
        }
    }

    private void resolve(String source, long nowMs) {
        assertThat(queues.resolveHead(source)).isNotNull();
        quarantine.afterResolve(source, nowMs);
    }

    private Quarantine listening(Quarantine q) {
        q.listen(new Quarantine.Listener() {
            @Override
            public void quarantined(String source, String why) {
                told.add("quarantined " + source + ": " + why);
            }

            @Override
            public void released(String source) {
                told.add("released " + source);
            }
        });
        return q;
    }

    private static ArenaKey key(long offset) {
        return entry(offset, 1).key();
    }
}
