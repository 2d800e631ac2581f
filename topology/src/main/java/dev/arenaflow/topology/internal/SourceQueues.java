package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.arena.ArenaKey;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-key order: for each source with an unresolved message, the keys of its messages in input
 * order. The head is the one being handled (in flight, deferred, or waiting for its retry); the
 * others wait in the arena, undispatched. A source whose head waits for a retry is "retrying":
 * the messages behind it are parked, and counted, because they may wait for minutes.
 */
final class SourceQueues {

    private static final class Queue {
        final ArrayDeque<ArenaKey> keys = new ArrayDeque<>();
        boolean retrying;
    }

    private final Map<String, Queue> bySource = new HashMap<>();
    private int parkedBehindRetry;

    /** @return true if no source has an unresolved message, the common case of sync plugins */
    boolean isEmpty() {
        return bySource.isEmpty();
    }

    /** @return true if a message of this source is unresolved, so a new one must wait */
    boolean busy(String source) {
        return bySource.containsKey(source);
    }

    /** @return true if this source's head waits for a retry */
    boolean retrying(String source) {
        Queue queue = bySource.get(source);
        return queue != null && queue.retrying;
    }

    /** @return messages waiting behind a head that waits for a retry */
    int parkedBehindRetry() {
        return parkedBehindRetry;
    }

    /** Queues a message behind its source's unresolved ones, or as the head. */
    void add(String source, ArenaKey key) {
        Queue queue = bySource.computeIfAbsent(source, s -> new Queue());
        queue.keys.add(key);
        if (queue.retrying) {
            parkedBehindRetry++;
        }
    }

    /** Marks whether the source's head waits for a retry; the source must be busy. */
    void setRetrying(String source, boolean retrying) {
        Queue queue = bySource.get(source);
        if (queue != null && queue.retrying != retrying) {
            queue.retrying = retrying;
            parkedBehindRetry += (retrying ? 1 : -1) * (queue.keys.size() - 1);
        }
    }

    /**
     * Removes the resolved head of a source.
     *
     * @return the next key of that source, or null if it has none (the source is then free)
     */
    ArenaKey resolveHead(String source) {
        Queue queue = bySource.get(source);
        if (queue == null) {
            return null;
        }
        setRetrying(source, false);
        queue.keys.poll();
        if (queue.keys.isEmpty()) {
            bySource.remove(source);
            return null;
        }
        return queue.keys.peek();
    }

    void clear() {
        bySource.clear();
        parkedBehindRetry = 0;
    }
}
