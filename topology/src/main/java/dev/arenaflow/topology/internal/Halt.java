package dev.arenaflow.topology.internal;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.topology.arena.ArenaEntry;
import dev.arenaflow.topology.arena.ArenaKey;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Whether the plugin is halted, and what it holds meanwhile. It halts when its control record
 * pauses or disables it, and it trips (halts, and says why) when an attempt threw an {@link Error},
 * when the circuit breaker finds too many recent attempts failed, or when handle() blocked too
 * long. While halted, the messages that would be dispatched are held, in arrival order, until it
 * resumes.
 *
 * <p>Threading notes: stream thread only.
 */
final class Halt {

    /**
     * A message held while the plugin is halted.
     *
     * @param key the entry
     * @param attempt the attempt held; an entry on another attempt makes this stale
     * @param source the entry's source if it heads that source's queue, else null
     */
    record Held(ArenaKey key, int attempt, String source) {
    }

    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private CircuitBreaker breaker = new CircuitBreaker(false, 1, 1, 1);
    private Consumer<String> onTrip = reason -> { };
    private boolean halted;
    private int beyondBound;

    /**
     * @param breaker judges each finished attempt
     * @param onTrip told why, after a trip halted the plugin
     */
    void guardWith(CircuitBreaker breaker, Consumer<String> onTrip) {
        this.breaker = breaker;
        this.onTrip = onTrip;
    }

    void halt() {
        halted = true;
    }

    /** Halts for the given reason, and says so unless already halted. */
    void trip(String reason) {
        if (!halted) {
            halt();
            onTrip.accept(reason);
        }
    }

    boolean halted() {
        return halted;
    }

    /**
     * Ends the halt; the caller dispatches what was held, from {@link #nextHeld()}.
     *
     * @return false if the plugin was not halted
     */
    boolean resume() {
        if (!halted) {
            return false;
        }
        halted = false;
        beyondBound = 0;
        return true;
    }

    /**
     * Judges an attempt's final outcome: an {@link Error} trips at once, any other outcome counts
     * towards the circuit breaker's failure rate.
     *
     * @return why the plugin should trip now, or null
     */
    String tripReason(Outcome outcome, long nowMs) {
        if (outcome instanceof Outcome.Fail fail && Dispatcher.PLUGIN_ERROR.equals(fail.code())) {
            return "the plugin threw " + fail.errorClass() + ": " + fail.message();
        }
        return breaker.record(!(outcome instanceof Outcome.Emit), nowMs);
    }

    /** Holds a message that would have been dispatched now. */
    void hold(ArenaEntry entry, String source) {
        held.add(new Held(entry.key(), entry.attempt(), source));
    }

    /** @return the oldest held message, removed; null if none */
    Held nextHeld() {
        return held.poll();
    }

    /** @return true if this message is held; looks through every held one */
    boolean holds(ArenaKey key) {
        for (Held h : held) {
            if (h.key().equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** @return messages held */
    int held() {
        return held.size();
    }

    /** Counts a message taken past the in-flight bound while halted: it is parked until the halt ends. */
    void countBeyondBound() {
        beyondBound++;
    }

    /** @return messages taken past the in-flight bound since the halt began */
    int beyondBound() {
        return beyondBound;
    }

    /** Forgets what is held; the halt itself stays, as the control record decides it. */
    void clear() {
        held.clear();
        beyondBound = 0;
    }
}
