package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.RetryPolicy;
import dev.arenaflow.topology.arena.ArenaEntry;
import dev.arenaflow.topology.arena.ArenaStore;
import java.time.Duration;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Sends a failed attempt on: to the retry topic of the first tier at least as long as the wanted
 * wait, not to be attempted before the wait plus jitter has passed, or, after the last attempt, to
 * the dead-letter topic as {@code RETRIES_EXHAUSTED} (or {@code RETRY_TOO_LARGE} when its retry record
 * would be larger than the retry topic takes). With {@code retry.ordered} the message stays
 * in the arena, awaiting its retry record, so that its source keeps its place; it counts as parked.
 *
 * <p>Threading notes: stream thread only.
 */
final class RetryScheduler {

    /** Failures worth another attempt; any other code the plugin chose is final. */
    private static final Set<String> RETRIABLE = Set.of(Dispatcher.PLUGIN_EXCEPTION, Dispatcher.TIMEOUT);

    private final ArenaStore arena;
    private final RetryPolicy policy;
    private final Dispatcher.Applier applier;
    private final LongSupplier clock;
    private final DoubleSupplier random;
    private long sent;
    private int awaitingRecord;

    /**
     * @param clock the time now, in ms
     * @param random draws the jitter of retry delays, in [0, 1)
     */
    RetryScheduler(ArenaStore arena, RetryPolicy policy, Dispatcher.Applier applier, LongSupplier clock,
                   DoubleSupplier random) {
        this.arena = arena;
        this.policy = policy;
        this.applier = applier;
        this.clock = clock;
        this.random = random;
    }

    /** @return true if a failure with this code gets another attempt after the policy's backoff */
    static boolean retriable(String code) {
        return RETRIABLE.contains(code);
    }

    /**
     * @param entry the message, on the attempt that failed
     * @param wanted how long it should wait before its next attempt
     * @return true if the message left the arena; false if it stays, awaiting its retry record
     */
    boolean send(ArenaEntry entry, Duration wanted, Failure failure) {
        if (entry.attempt() >= policy.maxAttempts()) {
            applier.deadLetter(entry, new Failure(Dispatcher.RETRIES_EXHAUSTED, "attempt " + entry.attempt() + " of "
                    + policy.maxAttempts() + " failed: " + failure.code() + ": " + failure.message(),
                    failure.errorClass()));
            arena.ack(entry.key());
            return true;
        }
        long wait = wanted.toMillis();
        long notBeforeMs = clock.getAsLong() + wait + (long) (wait * policy.jitter() * random.getAsDouble());
        boolean retried = applier.retry(entry, policy.tierFor(wanted), notBeforeMs, failure);
        if (retried) {
            sent++;
        }
        // A message too large to retry became a dead letter: it is done, and its source is not held.
        if (!retried || !policy.orderedAcrossRetries()) {
            arena.ack(entry.key());
            return true;
        }
        arena.put(entry.awaitingRetry());
        awaitingRecord++;
        return false;
    }

    /** Counts a restored entry that awaits its retry record. */
    void restoredAwaiting() {
        awaitingRecord++;
    }

    /** The retry record of an entry awaiting it came back. */
    void recordReturned() {
        awaitingRecord--;
    }

    /** @return messages held in the arena while their retry record is in a retry topic */
    int awaitingRecord() {
        return awaitingRecord;
    }

    /** @return messages sent to a retry topic */
    long sent() {
        return sent;
    }

    void clear() {
        awaitingRecord = 0;
    }
}
