package dev.arenaflow.cli.io;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Spaces out events to at most a given number per second by sleeping, never by spinning. After a
 * stall (a slow broker) it does not burst to catch up by more than one second's worth.
 *
 * <p>Threading notes: confined to one thread.
 */
public final class RateLimiter {

    /** Sleeps for a number of nanoseconds. */
    @FunctionalInterface
    public interface Sleeper {
        /** @param nanos how long, above 0 @throws InterruptedException if interrupted */
        void sleep(long nanos) throws InterruptedException;
    }

    /** The longest single sleep, so that a stop request is noticed promptly even at low rates. */
    static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_BACKLOG_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final double NANOS_PER_SECOND = 1e9;

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private long nextSlot;
    private boolean started;

    /**
     * @param perSecond the most events per second; 0 or less for no limit
     * @param nanoClock a monotonic clock, e.g. {@code System::nanoTime}
     * @param sleeper how to sleep, e.g. {@code TimeUnit.NANOSECONDS::sleep}
     */
    public RateLimiter(double perSecond, LongSupplier nanoClock, Sleeper sleeper) {
        this.intervalNanos = perSecond > 0 ? Math.max(1, Math.round(NANOS_PER_SECOND / perSecond)) : 0;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    /** @return a limiter that never waits */
    public static RateLimiter unlimited() {
        return new RateLimiter(0, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    /**
     * Waits until the next event may happen.
     *
     * @param stop checked between sleeps
     * @return true to go ahead, false if {@code stop} became true or the thread was interrupted
     */
    public boolean acquire(BooleanSupplier stop) {
        if (intervalNanos == 0) {
            return true;
        }
        long now = nanoClock.getAsLong();
        if (!started || now - nextSlot > MAX_BACKLOG_NANOS) {
            started = true;
            nextSlot = now;
        }
        if (!sleepUntil(nextSlot, now, stop)) {
            return false;
        }
        nextSlot += intervalNanos;
        return true;
    }

    private boolean sleepUntil(long slot, long now, BooleanSupplier stop) {
        long time = now;
        try {
            while (slot - time > 0) {
                if (stop.getAsBoolean()) {
                    return false;
                }
                sleeper.sleep(Math.min(slot - time, MAX_SLEEP_NANOS));
                time = nanoClock.getAsLong();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }
}
