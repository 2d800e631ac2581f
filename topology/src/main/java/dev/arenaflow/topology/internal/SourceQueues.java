package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.arena.ArenaKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-key order: for each source with an unresolved message, the keys of its messages in input
 * order, each with the time it arrived. The head is the one being handled (in flight, deferred, or
 * waiting for its retry); the others wait in the arena, undispatched. The messages behind a head
 * are parked, and counted apart from the in-flight ones, while the source is "retrying" (its head
 * waits for a retry) or "quarantined" (see {@link Quarantine}): either may last for minutes.
 */
final class SourceQueues {

    /** A message waiting in its source's queue, and when it arrived there. */
    record Waiting(ArenaKey key, long arrivedMs) {
    }

    private static final class Queue {
        final ArrayDeque<Waiting> keys = new ArrayDeque<>();
        boolean retrying;
        boolean quarantined;

        boolean parks() {
            return retrying || quarantined;
        }

        int behindHead() {
            return keys.size() - 1;
        }
    }

    private final Map<String, Queue> bySource = new HashMap<>();
    private int parkedBehind;
    private int quarantined;

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

    /** @return true if this source is quarantined */
    boolean quarantined(String source) {
        Queue queue = bySource.get(source);
        return queue != null && queue.quarantined;
    }

    /** @return true if a message queued behind this source now is parked */
    boolean parks(String source) {
        Queue queue = bySource.get(source);
        return queue != null && queue.parks();
    }

    /** @return messages waiting behind a head that waits for a retry or whose source is quarantined */
    int parkedBehind() {
        return parkedBehind;
    }

    /** @return sources quarantined */
    int quarantinedSources() {
        return quarantined;
    }

    /** @return messages waiting behind the source's head; 0 for a free source */
    int behindHead(String source) {
        Queue queue = bySource.get(source);
        return queue == null ? 0 : queue.behindHead();
    }

    /** @return when the source's head arrived, or -1 for a free source */
    long headArrivedMs(String source) {
        Queue queue = bySource.get(source);
        return queue == null ? -1 : queue.keys.getFirst().arrivedMs();
    }

    /** @return the source's messages in input order, the head first; empty for a free source */
    List<Waiting> messages(String source) {
        Queue queue = bySource.get(source);
        return queue == null ? List.of() : new ArrayList<>(queue.keys);
    }

    /** @return the key of the source's head, or null for a free source */
    ArenaKey head(String source) {
        Queue queue = bySource.get(source);
        return queue == null ? null : queue.keys.getFirst().key();
    }

    /** @return the sources with an unresolved message, in no order */
    Iterable<String> sources() {
        return bySource.keySet();
    }

    /** Queues a message behind its source's unresolved ones, or as the head. */
    void add(String source, ArenaKey key, long arrivedMs) {
        Queue queue = bySource.computeIfAbsent(source, s -> new Queue());
        queue.keys.add(new Waiting(key, arrivedMs));
        if (queue.keys.size() > 1 && queue.parks()) {
            parkedBehind++;
        }
    }

    /** Marks whether the source's head waits for a retry; a free source is ignored. */
    void setRetrying(String source, boolean retrying) {
        Queue queue = bySource.get(source);
        if (queue != null && queue.retrying != retrying) {
            boolean parked = queue.parks();
            queue.retrying = retrying;
            countParkingChange(queue, parked);
        }
    }

    /** Marks whether the source is quarantined; a free source is ignored. */
    void setQuarantined(String source, boolean quarantine) {
        Queue queue = bySource.get(source);
        if (queue != null && queue.quarantined != quarantine) {
            boolean parked = queue.parks();
            queue.quarantined = quarantine;
            quarantined += quarantine ? 1 : -1;
            countParkingChange(queue, parked);
        }
    }

    /**
     * Removes the resolved head of a source. The source stops retrying; whether it stays
     * quarantined is the caller's to decide.
     *
     * @return the next key of that source, or null if it has none (the source is then free)
     */
    ArenaKey resolveHead(String source) {
        Queue queue = bySource.get(source);
        if (queue == null) {
            return null;
        }
        setRetrying(source, false);
        if (queue.parks() && queue.keys.size() > 1) {
            parkedBehind--;
        }
        queue.keys.poll();
        if (queue.keys.isEmpty()) {
            if (queue.quarantined) {
                quarantined--;
            }
            bySource.remove(source);
            return null;
        }
        return queue.keys.peek().key();
    }

    void clear() {
        bySource.clear();
        parkedBehind = 0;
        quarantined = 0;
    }

    private void countParkingChange(Queue queue, boolean parkedBefore) {
        if (parkedBefore != queue.parks()) {
            parkedBehind += (queue.parks() ? 1 : -1) * queue.behindHead();
        }
    }
}
