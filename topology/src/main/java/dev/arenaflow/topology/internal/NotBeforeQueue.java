package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.arena.ArenaEntry;
import dev.arenaflow.topology.arena.ArenaKey;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Messages in the arena waiting for their not-before time, earliest first: deferred ones (an
 * {@code Outcome.defer}, or a restored attempt whose deferral is not over) and ones back from a
 * retry topic. Only the ones back from a retry topic count as parked ({@code retry.max.parked});
 * a deferred message counts towards {@code max.in.flight}, like one being handled.
 *
 * <p>Threading notes: stream thread only.
 */
final class NotBeforeQueue {

    /**
     * A message waiting for its time.
     *
     * @param key the entry
     * @param attempt the attempt that waits; an entry on another attempt makes this wait stale
     * @param notBeforeMs when it is due
     * @param source the entry's source if it heads that source's queue, else null
     * @param backFromRetry true for a message back from a retry topic, false for a deferred one
     */
    record Waiting(ArenaKey key, int attempt, long notBeforeMs, String source, boolean backFromRetry) {
    }

    private final PriorityQueue<Waiting> queue = new PriorityQueue<>(Comparator.comparingLong(Waiting::notBeforeMs));
    private int backFromRetry;

    /** Queues a deferred attempt until its {@link ArenaEntry#notBeforeMs()}. */
    void defer(ArenaEntry entry, String source) {
        queue.add(new Waiting(entry.key(), entry.attempt(), entry.notBeforeMs(), source, false));
    }

    /** Queues a message back from a retry topic until its {@link ArenaEntry#notBeforeMs()}; it counts as parked. */
    void awaitRetryTime(ArenaEntry entry, String source) {
        queue.add(new Waiting(entry.key(), entry.attempt(), entry.notBeforeMs(), source, true));
        backFromRetry++;
    }

    /**
     * @param nowMs the time now
     * @return the earliest message due by then, removed from the queue; null if none is due
     */
    Waiting pollDue(long nowMs) {
        Waiting next = queue.peek();
        if (next == null || next.notBeforeMs() > nowMs) {
            return null;
        }
        queue.poll();
        if (next.backFromRetry()) {
            backFromRetry--;
        }
        return next;
    }

    /** @return when the earliest message is due, or {@link Long#MAX_VALUE} if none waits */
    long nextDueMs() {
        Waiting next = queue.peek();
        return next == null ? Long.MAX_VALUE : next.notBeforeMs();
    }

    /** @return messages back from a retry topic that are not due yet */
    int backFromRetry() {
        return backFromRetry;
    }

    /** @return every waiting message, deferred or back from a retry topic */
    int size() {
        return queue.size();
    }

    void clear() {
        queue.clear();
        backFromRetry = 0;
    }
}
