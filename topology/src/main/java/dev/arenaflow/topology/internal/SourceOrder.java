package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.arena.ArenaEntry;
import dev.arenaflow.topology.arena.ArenaKey;
import java.util.function.Function;

/**
 * Per-source order, the plugin's {@code ordered} setting: at most one message of a source is being
 * handled (in flight, deferred, held, or waiting for its retry), and the later ones wait behind it
 * in input order, in {@link SourceQueues}. Without it every method is a no-op that answers null, so
 * the caller need not ask which mode it is in.
 *
 * <p>Threading notes: stream thread only.
 */
final class SourceOrder {

    private final boolean enabled;
    private final Function<ArenaEntry, String> sourceOf;
    private final SourceQueues queues = new SourceQueues();

    /**
     * @param enabled the {@code ordered} setting
     * @param sourceOf reads an entry's source from its value
     */
    SourceOrder(boolean enabled, Function<ArenaEntry, String> sourceOf) {
        this.enabled = enabled;
        this.sourceOf = sourceOf;
    }

    /**
     * @return the source a fresh message must wait behind, or null if it may be dispatched now;
     *         its source is read only if some source is busy, which a sync plugin never leaves
     */
    String busySourceOf(ArenaEntry entry) {
        if (!enabled || queues.isEmpty()) {
            return null;
        }
        String source = sourceOf.apply(entry);
        return queues.busy(source) ? source : null;
    }

    /** Queues a message behind the busy source's others. */
    void waitBehind(String source, ArenaKey key) {
        queues.add(source, key);
    }

    /**
     * An entry that stays unresolved holds its source: a fresh entry becomes its source's head here.
     *
     * @param source the source the entry already heads, or null for a fresh entry
     * @return the source the entry heads; null without per-source order
     */
    String head(ArenaEntry entry, String source) {
        if (!enabled || source != null) {
            return source;
        }
        String read = sourceOf.apply(entry);
        queues.add(read, entry.key());
        return read;
    }

    /**
     * Makes a restored entry whose retry is pending its source's head, with the source retrying.
     *
     * @return its source; null without per-source order
     */
    String headAwaitingRetry(ArenaEntry entry) {
        if (!enabled) {
            return null;
        }
        String source = head(entry, null);
        queues.setRetrying(source, true);
        return source;
    }

    /** @return the entry's source; null without per-source order */
    String sourceOf(ArenaEntry entry) {
        return enabled ? sourceOf.apply(entry) : null;
    }

    /** @return true if the source's head waits for a retry, so a message queued behind it is parked */
    boolean retrying(String source) {
        return queues.retrying(source);
    }

    /** Marks whether the source's head waits for a retry; a null or free source is ignored. */
    void setRetrying(String source, boolean retrying) {
        queues.setRetrying(source, retrying);
    }

    /**
     * The source's head was resolved.
     *
     * @return the next message of the source, now its head, or null if the source is free
     */
    ArenaKey next(String source) {
        return queues.resolveHead(source);
    }

    /** @return messages waiting behind a head that waits for a retry */
    int parkedBehindRetry() {
        return queues.parkedBehindRetry();
    }

    void clear() {
        queues.clear();
    }
}
