package dev.arenaflow.topology.internal;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.topology.arena.ArenaKey;

/**
 * The result of one async attempt, passed from the completing thread to the stream thread.
 *
 * @param key the entry
 * @param attempt the attempt (generation) that completed
 * @param outcome the outcome, or null if {@code error} is set
 * @param error what the stage failed with, or null
 */
record Completion(ArenaKey key, int attempt, Outcome outcome, Throwable error) {
}
