package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.PluginLimits;
import dev.arenaflow.topology.arena.ArenaEntry;
import dev.arenaflow.topology.arena.ArenaStore;

/**
 * The two bounds on what the plugin holds. {@code max.in.flight} bounds the messages being
 * handled: at it, the stream thread waits before taking another. {@code retry.max.parked} bounds
 * the parked ones, which may wait for minutes: back from a retry topic and not due yet, awaiting
 * their retry record, parked behind one of those or behind the head of a quarantined source, or
 * taken past the in-flight bound while the plugin is halted. A message that would go past the parking bound is a {@code PARKED_LIMIT} dead
 * letter, from where it can be replayed.
 *
 * <p>Threading notes: stream thread only.
 */
final class Admission {

    private final ArenaStore arena;
    private final PluginLimits limits;
    private final Dispatcher.Applier applier;
    private final NotBeforeQueue waiting;
    private final RetryScheduler retries;
    private final SourceOrder order;
    private final Halt halt;
    private long overflows;

    Admission(ArenaStore arena, PluginLimits limits, Dispatcher.Applier applier, NotBeforeQueue waiting,
              RetryScheduler retries, SourceOrder order, Halt halt) {
        this.arena = arena;
        this.limits = limits;
        this.applier = applier;
        this.waiting = waiting;
        this.retries = retries;
        this.order = order;
        this.halt = halt;
    }

    /**
     * @return messages parked: back from a retry topic and not due, awaiting their retry record,
     *         parked behind one of those or behind the head of a quarantined source, or taken past
     *         the in-flight bound while halted
     */
    int parked() {
        return waiting.backFromRetry() + retries.awaitingRecord() + order.parkedBehind() + halt.beyondBound();
    }

    /** @return true if the messages that count towards {@code max.in.flight} (all but the parked) reach it */
    boolean atInFlightBound() {
        return arena.size() - parked() >= limits.maxInFlight();
    }

    /** @return true if one more parked message would pass {@code retry.max.parked} */
    boolean atParkingBound() {
        return parked() >= limits.retry().maxParked();
    }

    /** Dead-letters a message that would wait for a retry past the parking bound. */
    void overflowParked(ArenaEntry entry) {
        overflow(entry, "the plugin already holds " + parked() + " messages waiting for a retry, or parked behind "
                + "one or behind a quarantined source, its bound (retry.max.parked)");
    }

    /** Dead-letters a message that a halted plugin, past both bounds, cannot hold. */
    void overflowHalted(ArenaEntry entry) {
        overflow(entry, "the plugin is halted and already holds " + arena.size() + " messages, its bounds "
                + "(max.in.flight " + limits.maxInFlight() + " plus retry.max.parked " + limits.retry().maxParked()
                + ")");
    }

    /** @return messages sent to the dead-letter topic because the parking bound was reached */
    long overflows() {
        return overflows;
    }

    private void overflow(ArenaEntry entry, String why) {
        overflows++;
        applier.deadLetter(entry, Failure.chosen(Dispatcher.PARKED_LIMIT, why));
        arena.ack(entry.key());
    }
}
