package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.arena.ArenaKey;

/**
 * An attempt in flight, or waiting to be retried.
 *
 * @param key the entry
 * @param attempt its generation
 * @param dueMs the deadline of an attempt in flight, or when a retry is due
 * @param source the entry's source in ordered mode, else null
 */
record Flight(ArenaKey key, int attempt, long dueMs, String source) {
}
