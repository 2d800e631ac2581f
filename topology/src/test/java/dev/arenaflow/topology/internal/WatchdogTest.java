package dev.arenaflow.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.topology.PluginLimits;
import org.junit.jupiter.api.Test;

/** When a task has stalled, on a task and a clock the test moves. */
class WatchdogTest {

    private static final PluginLimits.Watchdog SETTINGS =
            new PluginLimits.Watchdog(1_000, 5_000, PluginLimits.Watchdog.Action.REPORT);

    private long outcomes;
    private int inFlight;
    private long oldestStartMs = -1;
    private boolean halted;
    private final Watchdog watchdog = new Watchdog(SETTINGS, new Watchdog.Task() {
        @Override
        public long outcomes() {
            return outcomes;
        }

        @Override
        public int inFlight() {
            return inFlight;
        }

        @Override
        public long oldestStartMs() {
            return oldestStartMs;
        }

        @Override
        public boolean halted() {
            return halted;
        }
    }, 0);

    @Test
    void shouldFindAStallOnceWhenAttemptsAreInFlightAndNothingIsAppliedAndEndItOnProgress() {
        inFlight = 3;
        oldestStartMs = 0;
        assertThat(watchdog.check(999)).isNull();
        assertThat(watchdog.check(1_000)).isEqualTo("no outcome applied for 1000 ms (watchdog.no.progress.ms 1000) "
                + "with 3 attempts in flight");
        assertThat(watchdog.stalled()).isTrue();
        assertThat(watchdog.check(1_500)).as("said once").isNull();
        assertThat(watchdog.stalls()).isEqualTo(1);

        outcomes++;
        oldestStartMs = 1_400;
        assertThat(watchdog.check(1_600)).isNull();
        assertThat(watchdog.stalled()).isFalse();
        assertThat(watchdog.check(2_599)).isNull();
        assertThat(watchdog.check(2_600)).startsWith("no outcome applied for 1000 ms");
        assertThat(watchdog.stalls()).isEqualTo(2);
    }

    @Test
    void shouldNotCountTimeWithNothingInFlightOrWhileHalted() {
        assertThat(watchdog.check(10_000)).isNull();
        inFlight = 1;
        oldestStartMs = 9_500;
        assertThat(watchdog.check(10_500)).isNull();
        halted = true;
        assertThat(watchdog.check(20_000)).isNull();
        halted = false;
        oldestStartMs = 20_000;
        assertThat(watchdog.check(20_999)).isNull();
        assertThat(watchdog.stalled()).isFalse();
    }

    @Test
    void shouldFindAStallWhileAnAttemptIsInFlightPastTheMaxAgeEvenWithProgress() {
        inFlight = 2;
        oldestStartMs = 0;
        for (long now = 500; now <= 5_000; now += 500) {
            outcomes++;
            assertThat(watchdog.check(now)).isNull();
        }
        outcomes++;
        assertThat(watchdog.check(5_001)).isEqualTo("an attempt has been in flight for 5001 ms (watchdog.max.age.ms "
                + "5000), with 2 attempts in flight");

        oldestStartMs = 5_000;
        outcomes++;
        assertThat(watchdog.check(5_100)).isNull();
        assertThat(watchdog.stalled()).isFalse();
    }

    @Test
    void shouldNeverFindAStallWhenBothChecksAreOff() {
        Watchdog off = new Watchdog(new PluginLimits.Watchdog(0, 0, PluginLimits.Watchdog.Action.REPORT),
                new Watchdog.Task() {
                    @Override
                    public long outcomes() {
                        return 0;
                    }

                    @Override
                    public int inFlight() {
                        return 5;
                    }

                    @Override
                    public long oldestStartMs() {
                        return 0;
                    }

                    @Override
                    public boolean halted() {
                        return false;
                    }
                }, 0);
        assertThat(off.check(Long.MAX_VALUE / 2)).isNull();
    }
}
