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
 * @param notBeforeMs not to be dispatched before this time (a retry or a deferral), or 0
 * @param stage where the message is in its life
 */
public record ArenaEntry(ArenaKey key, int attempt, long timestamp, byte[] recordKey, byte[] value, Headers headers,
                         long notBeforeMs, Stage stage) {

    /** Where a held message is; it decides what happens to the entry when its task is restored. */
    public enum Stage {
        /** Dispatched, deferred, or waiting behind its source: dispatched again after a restore. */
        HANDLING,
        /** Its retry record is in a retry topic; held only so that later messages of its source wait. */
        AWAITING_RETRY,
        /** Came back from a retry topic and waits for its not-before time; not dispatched yet. */
        RETRY_DUE
    }

    /** A new message, to be dispatched at once. */
    public ArenaEntry(ArenaKey key, int attempt, long timestamp, byte[] recordKey, byte[] value, Headers headers) {
        this(key, attempt, timestamp, recordKey, value, headers, 0, Stage.HANDLING);
    }

    /**
     * @param notBeforeMs when it may be dispatched, or 0 for at once
     * @return the next attempt of this message
     */
    public ArenaEntry nextAttempt(long notBeforeMs) {
        return new ArenaEntry(key, attempt + 1, timestamp, recordKey, value, headers, notBeforeMs, Stage.HANDLING);
    }

    /**
     * @param notBeforeMs when it may be dispatched again
     * @return this attempt, parked until then
     */
    public ArenaEntry parkedUntil(long notBeforeMs) {
        return new ArenaEntry(key, attempt, timestamp, recordKey, value, headers, notBeforeMs, Stage.HANDLING);
    }

    /** @return this message, held while its retry record is in a retry topic */
    public ArenaEntry awaitingRetry() {
        return new ArenaEntry(key, attempt, timestamp, recordKey, value, headers, 0, Stage.AWAITING_RETRY);
    }

    /** @return this entry, now being handled */
    public ArenaEntry handling() {
        return stage == Stage.HANDLING ? this
                : new ArenaEntry(key, attempt, timestamp, recordKey, value, headers, notBeforeMs, Stage.HANDLING);
    }
}
