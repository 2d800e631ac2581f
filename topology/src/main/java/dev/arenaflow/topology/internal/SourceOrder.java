package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.PluginLimits;
import dev.arenaflow.topology.arena.ArenaEntry;
import dev.arenaflow.topology.arena.ArenaKey;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Per-source order, the plugin's {@code ordered} setting: at most one message of a source is being
 * handled (in flight, deferred, held, or waiting for its retry), and the later ones wait behind it
 * in input order, in {@link SourceQueues}; a source whose backlog would take others' capacity is
 * quarantined ({@link Quarantine}). Without it every method is a no-op that answers null, so
 * the caller need not ask which mode it is in.
 *
 * <p>Threading notes: stream thread only.
 */
final class SourceOrder {

    private final boolean enabled;
    private final Function<ArenaEntry, String> sourceOf;
    private final LongSupplier clock;
    private final SourceQueues queues = new SourceQueues();
    private final Quarantine quarantine;

    /** Without quarantine, on a clock that stands still: for tests of order alone. */
    SourceOrder(boolean enabled, Function<ArenaEntry, String> sourceOf) {
        this(enabled, sourceOf, PluginLimits.Quarantine.OFF, 1, () -> 0L, () -> false);
    }

    /**
     * @param enabled the {@code ordered} setting
     * @param sourceOf reads an entry's source from its value
     * @param quarantine when a source's backlog is parked
     * @param maxInFlight the {@code max.in.flight} setting, of which quarantine takes a share
     * @param clock the time now, in ms
     * @param halted true while the plugin is paused or disabled, when nothing is quarantined or released
     */
    SourceOrder(boolean enabled, Function<ArenaEntry, String> sourceOf, PluginLimits.Quarantine quarantine,
                int maxInFlight, LongSupplier clock, BooleanSupplier halted) {
        this.enabled = enabled;
        this.sourceOf = sourceOf;
        this.clock = clock;
        this.quarantine = new Quarantine(queues, quarantine, maxInFlight, halted);
    }

    /** @param listener told when a source is quarantined or released */
    void onQuarantine(Quarantine.Listener listener) {
        quarantine.listen(listener);
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

    /** Queues a message behind the busy source's others; the source may be quarantined for it. */
    void waitBehind(String source, ArenaKey key) {
        queues.add(source, key, clock.getAsLong());
        quarantine.afterWait(source);
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
        queues.add(read, entry.key(), clock.getAsLong());
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

    /** @return true if a message queued behind this source now is parked: it is retrying or quarantined */
    boolean parks(String source) {
        return queues.parks(source);
    }

    /** @return the key of the source's head, or null if the source is free or there is no per-source order */
    ArenaKey headOf(String source) {
        if (!enabled) {
            return null;
        }
        return queues.head(source);
    }

    /** @return true if the source is quarantined */
    boolean quarantined(String source) {
        return queues.quarantined(source);
    }

    /** @return true if the source's head waits for a retry */
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
        ArenaKey next = queues.resolveHead(source);
        if (next != null) {
            quarantine.afterResolve(source, clock.getAsLong());
        }
        return next;
    }

    /** Quarantines the sources whose head has waited too long; cheap enough to call on every poll. */
    void sweep() {
        quarantine.sweep(clock.getAsLong());
    }

    /** @return messages waiting behind a head that waits for a retry or whose source is quarantined */
    int parkedBehind() {
        return queues.parkedBehind();
    }

    /** @return sources quarantined now */
    int quarantinedSources() {
        return quarantine.sources();
    }

    /** @return times a source was quarantined */
    long quarantines() {
        return quarantine.quarantines();
    }

    void clear() {
        queues.clear();
    }
}
