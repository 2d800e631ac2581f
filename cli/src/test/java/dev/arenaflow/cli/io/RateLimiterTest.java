package dev.arenaflow.cli.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final long MILLI = 1_000_000;

    /** A clock that moves only when the limiter sleeps, or when told. */
    private static final class FakeTime {
        long now = 1_000 * MILLI;
        final List<Long> sleeps = new ArrayList<>();

        void sleep(long nanos) {
            sleeps.add(nanos);
            now += nanos;
        }

        long sleptMillis() {
            return sleeps.stream().mapToLong(Long::longValue).sum() / MILLI;
        }
    }

    @Test
    void shouldSpaceEventsEvenlyBySleeping() {
        FakeTime time = new FakeTime();
        RateLimiter limiter = new RateLimiter(10, () -> time.now, time::sleep);

        for (int i = 0; i < 6; i++) {
            assertThat(limiter.acquire(() -> false)).isTrue();
        }

        assertThat(time.sleptMillis()).isEqualTo(500);
        assertThat(time.sleeps).allMatch(nanos -> nanos > 0 && nanos <= RateLimiter.MAX_SLEEP_NANOS);
    }

    @Test
    void shouldNotSleepWhenTheCallerIsSlowerThanTheRate() {
        FakeTime time = new FakeTime();
        RateLimiter limiter = new RateLimiter(10, () -> time.now, time::sleep);

        for (int i = 0; i < 5; i++) {
            limiter.acquire(() -> false);
            time.now += 150 * MILLI;
        }

        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void shouldNotBurstAfterALongStall() {
        FakeTime time = new FakeTime();
        RateLimiter limiter = new RateLimiter(10, () -> time.now, time::sleep);
        limiter.acquire(() -> false);
        time.now += 60_000 * MILLI;

        for (int i = 0; i < 21; i++) {
            limiter.acquire(() -> false);
        }

        assertThat(time.sleptMillis()).isEqualTo(2_000);
    }

    @Test
    void shouldStopWaitingWhenAskedTo() {
        FakeTime time = new FakeTime();
        RateLimiter limiter = new RateLimiter(0.1, () -> time.now, time::sleep);
        limiter.acquire(() -> false);
        int[] checks = {0};

        assertThat(limiter.acquire(() -> ++checks[0] > 3)).isFalse();
        assertThat(time.sleptMillis()).isEqualTo(300);
    }

    @Test
    void shouldNeverWaitWithoutALimit() {
        FakeTime time = new FakeTime();
        RateLimiter limiter = new RateLimiter(0, () -> time.now, time::sleep);

        for (int i = 0; i < 1_000; i++) {
            assertThat(limiter.acquire(() -> true)).isTrue();
        }
        assertThat(time.sleeps).isEmpty();
    }
}
