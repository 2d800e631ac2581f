package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.arena.ArenaKey;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-key order: for each source with an unresolved message, the keys of its messages in input
 * order. The head is the one being handled (in flight or waiting for a retry); the others wait
 * in the arena, undispatched.
 */
final class SourceQueues {

    private final Map<String, ArrayDeque<ArenaKey>> bySource = new HashMap<>();

    /** @return true if no source has an unresolved message, the common case of sync plugins */
    boolean isEmpty() {
        return bySource.isEmpty();
    }

    /** @return true if a message of this source is unresolved, so a new one must wait */
    boolean busy(String source) {
        return bySource.containsKey(source);
    }

    /** Queues a message behind its source's unresolved ones, or as the head. */
    void add(String source, ArenaKey key) {
        bySource.computeIfAbsent(source, s -> new ArrayDeque<>()).add(key);
    }

    /**
     * Removes the resolved head of a source.
     *
     * @return the next key of that source, or null if it has none (the source is then free)
     */
    ArenaKey resolveHead(String source) {
        ArrayDeque<ArenaKey> queue = bySource.get(source);
        if (queue == null) {
            return null;
        }
        queue.poll();
        if (queue.isEmpty()) {
            bySource.remove(source);
            return null;
        }
        return queue.peek();
    }

    void clear() {
        bySource.clear();
    }
}
