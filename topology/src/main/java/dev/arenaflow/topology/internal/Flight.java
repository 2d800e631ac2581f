package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.arena.ArenaKey;

/**
 * An attempt in flight, or a message waiting for its time.
 *
 * @param key the entry
 * @param attempt its generation
 * @param dueMs the deadline of an attempt in flight, or when a waiting message is due
 * @param source the entry's source if it heads that source's queue, else null
 * @param retry true for a message back from a retry topic, waiting for its not-before time
 */
record Flight(ArenaKey key, int attempt, long dueMs, String source, boolean retry) {

    Flight(ArenaKey key, int attempt, long dueMs, String source) {
        this(key, attempt, dueMs, source, false);
    }
}
