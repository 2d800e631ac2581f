package dev.arenaflow.cli;

import dev.arenaflow.cli.io.RateLimiter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A monotonic nanosecond clock that moves only when something sleeps on it, so a test sees how a
 * command paces itself without waiting and without reading the wall clock.
 */
final class VirtualTime implements LongSupplier, RateLimiter.Sleeper {

    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long getAsLong() {
        return nanos.get();
    }

    @Override
    public void sleep(long sleepNanos) {
        nanos.addAndGet(sleepNanos);
    }

    /** @return how long everything slept on this clock, in all */
    Duration slept() {
        return Duration.ofNanos(nanos.get());
    }
}
