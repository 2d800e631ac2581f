package dev.arenaflow.topology.arena;

import org.apache.kafka.common.header.Headers;

/**
 * A message a plugin has not acknowledged yet: the input record as it was read, and the attempt
 * it is on. The attempt is the entry's generation: a result that names an older attempt is stale.
 *
 * <p>It refers to the consumed record's arrays without copying them; nobody writes to them.
 *
 * @param key the input position
 * @param attempt 1 on the first dispatch
 * @param timestamp the input record's timestamp
 * @param recordKey the input record's key, possibly null
 * @param value the input record's value, a valid Raw Record v1
 * @param headers the input record's headers
 */
public record ArenaEntry(ArenaKey key, int attempt, long timestamp, byte[] recordKey, byte[] value, Headers headers) {
}
