package dev.arenaflow.topology.internal;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.topology.PluginLimits;
import dev.arenaflow.topology.arena.ArenaEntry;
import dev.arenaflow.topology.arena.ArenaKey;
import dev.arenaflow.topology.arena.ArenaStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Drives one plugin's messages from the arena to their outcomes: dispatches them, keeps at most
 * one per source in flight in ordered mode, tracks async attempts and their deadlines, schedules
 * retries, and applies outcomes that completed on other threads.
 *
 * <p>Threading notes: everything here runs on the stream thread, except the stage callbacks,
 * which only add to {@link #completions}. An entry is acknowledged only here, on the stream thread.
 */
final class Dispatcher {

    /** Hands one entry to the plugin; the view is lent and released inside. */
    interface Handler {
        /** @return the plugin's outcome, never null */
        Outcome handle(ArenaEntry entry);

        /** @return the entry's source, read from its value */
        String sourceOf(ArenaEntry entry);
    }

    /** Carries out a final outcome: an emit or a fail. */
    interface Applier {
        void apply(ArenaEntry entry, Outcome outcome);
    }

    private static final long MAX_WAIT_MS = 100;

    private final ArenaStore arena;
    private final PluginLimits limits;
    private final Handler handler;
    private final Applier applier;
    private final LongSupplier clock;
    private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final Map<ArenaKey, Flight> inFlight = new HashMap<>();
    private final ArrayDeque<Flight> deadlines = new ArrayDeque<>();
    private final PriorityQueue<Flight> retries = new PriorityQueue<>((a, b) -> Long.compare(a.dueMs(), b.dueMs()));
    private final SourceQueues sources = new SourceQueues();
    private long staleCompletions;
    private long redelivered;

    Dispatcher(ArenaStore arena, PluginLimits limits, Handler handler, Applier applier, LongSupplier clock) {
        this.arena = arena;
        this.limits = limits;
        this.handler = handler;
        this.applier = applier;
        this.clock = clock;
    }

    /**
     * Takes a message just consumed. Under at-least-once a record can be consumed again after a
     * restart although its entry was restored from the changelog, whose writes can outlive an
     * offset commit that never happened; the restored entry is the message, so the copy is dropped.
     *
     * @return false if the arena already held the message
     */
    boolean submitConsumed(ArenaEntry entry) {
        if (arena.get(entry.key()) != null) {
            redelivered++;
            return false;
        }
        submit(entry);
        return true;
    }

    /** @return consumed records dropped because the arena already held them */
    long redelivered() {
        return redelivered;
    }

    /** Dispatches a message, or queues it behind its source. */
    private void submit(ArenaEntry entry) {
        arena.put(entry);
        if (limits.ordered() && !sources.isEmpty()) {
            String source = handler.sourceOf(entry);
            if (sources.busy(source)) {
                sources.add(source, entry.key());
                return;
            }
        }
        dispatch(entry, null);
    }

    /**
     * Takes over what was restored from the arena's changelog, oldest first: each entry is
     * dispatched again as the next attempt, once any retry delay or deferral it carries is over.
     */
    void recover() {
        // entries() is a snapshot, so submitting (which writes the arena) does not disturb the loop.
        Collection<ArenaEntry> restored = arena.entries();
        for (ArenaEntry e : restored) {
            submit(e.nextAttempt(e.notBeforeMs()));
        }
    }

    /** Applies the completions that arrived, fails attempts past their deadline, and starts due retries. */
    void poll() {
        Completion c;
        while ((c = completions.poll()) != null) {
            complete(c);
        }
        expire();
        startDueRetries();
    }

    /**
     * Blocks while the arena is at its bound, applying completions as they arrive, but never
     * longer than {@code maxBlockMs}: past that, Kafka would consider the stream thread dead (or
     * abort its transaction), which costs far more than one message over the bound.
     *
     * @return true if there was room within the time; false if the caller goes over the bound
     */
    boolean awaitCapacity(long maxBlockMs) throws InterruptedException {
        poll();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxBlockMs);
        while (arena.size() >= limits.maxInFlight()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            Completion c = completions.poll(Math.min(left, waitMillis()), TimeUnit.MILLISECONDS);
            if (c != null) {
                complete(c);
            }
            poll();
        }
        return true;
    }

    /** @return completions ignored because their attempt had been superseded */
    long staleCompletions() {
        return staleCompletions;
    }

    /** @return attempts in flight */
    int inFlight() {
        return inFlight.size();
    }

    /** Forgets everything in memory; the arena's durable entries are dispatched again by the next owner. */
    void clear() {
        inFlight.clear();
        deadlines.clear();
        retries.clear();
        sources.clear();
        completions.clear();
    }

    /**
     * @param source the entry's source if it heads that source's queue; null for a fresh entry
     * @return true if the entry was resolved now; false if it is in flight or waiting for a retry
     */
    private boolean dispatch(ArenaEntry entry, String source) {
        if (entry.notBeforeMs() > clock.getAsLong()) {
            park(entry, queueIfFresh(entry, source));
            return false;
        }
        return resolve(entry, handler.handle(entry), source);
    }

    private boolean resolve(ArenaEntry entry, Outcome outcome, String source) {
        if (outcome instanceof Outcome.Later later) {
            track(entry, later, source);
            return false;
        }
        if (outcome instanceof Outcome.Retry retry) {
            return retry(entry, retry, source);
        }
        if (outcome instanceof Outcome.Defer defer) {
            ArenaEntry parked = entry.parkedUntil(defer.until().toEpochMilli());
            arena.put(parked);
            park(parked, queueIfFresh(entry, source));
            return false;
        }
        applier.apply(entry, outcome);
        arena.ack(entry.key());
        return true;
    }

    private void track(ArenaEntry entry, Outcome.Later later, String source) {
        Flight flight = new Flight(entry.key(), entry.attempt(), clock.getAsLong() + limits.timeoutMs(),
                queueIfFresh(entry, source));
        inFlight.put(entry.key(), flight);
        deadlines.add(flight);
        later.stage().whenComplete((outcome, error) ->
                completions.add(new Completion(entry.key(), entry.attempt(), outcome, error)));
    }

    private boolean retry(ArenaEntry entry, Outcome.Retry retry, String source) {
        if (entry.attempt() >= limits.maxAttempts()) {
            applier.apply(entry, Outcome.fail("RETRIES_EXHAUSTED", "attempt " + entry.attempt() + " of "
                    + limits.maxAttempts() + " failed: " + retry.reason()));
            arena.ack(entry.key());
            return true;
        }
        ArenaEntry next = entry.nextAttempt(clock.getAsLong() + retry.delay().toMillis());
        arena.put(next);
        park(next, queueIfFresh(entry, source));
        return false;
    }

    /** Schedules an entry that waits for its not-before time; it stays in the arena meanwhile. */
    private void park(ArenaEntry entry, String source) {
        retries.add(new Flight(entry.key(), entry.attempt(), entry.notBeforeMs(), source));
    }


    private void complete(Completion c) {
        Flight flight = inFlight.get(c.key());
        if (flight == null || flight.attempt() != c.attempt()) {
            staleCompletions++;
            return;
        }
        inFlight.remove(c.key());
        settle(arena.get(c.key()), outcomeOf(c), flight.source());
    }

    private void settle(ArenaEntry entry, Outcome outcome, String source) {
        if (resolve(entry, outcome, source) && source != null) {
            startNext(source);
        }
    }

    /** Dispatches the waiting messages of a source in order until one does not resolve at once. */
    private void startNext(String source) {
        for (ArenaKey next = sources.resolveHead(source); next != null; next = sources.resolveHead(source)) {
            if (!dispatch(arena.get(next), source)) {
                return;
            }
        }
    }

    private void expire() {
        long now = clock.getAsLong();
        while (!deadlines.isEmpty() && deadlines.peek().dueMs() <= now) {
            Flight flight = deadlines.poll();
            if (inFlight.get(flight.key()) == flight) {
                inFlight.remove(flight.key());
                settle(arena.get(flight.key()), Outcome.retry(Duration.ZERO, "attempt " + flight.attempt()
                        + " timed out after " + limits.timeoutMs() + " ms"), flight.source());
            }
        }
    }

    private void startDueRetries() {
        long now = clock.getAsLong();
        while (!retries.isEmpty() && retries.peek().dueMs() <= now) {
            Flight due = retries.poll();
            ArenaEntry entry = arena.get(due.key());
            if (entry != null && entry.attempt() == due.attempt() && dispatch(entry, due.source()) && due.source() != null) {
                startNext(due.source());
            }
        }
    }

    private long waitMillis() {
        long now = clock.getAsLong();
        long wait = MAX_WAIT_MS;
        if (!deadlines.isEmpty()) {
            wait = Math.min(wait, deadlines.peek().dueMs() - now);
        }
        if (!retries.isEmpty()) {
            wait = Math.min(wait, retries.peek().dueMs() - now);
        }
        return Math.max(1, wait);
    }

    /**
     * In ordered mode, an entry that stays unresolved holds its source: later messages of that
     * source wait behind it. A fresh entry becomes its source's head here.
     *
     * @return the entry's source in ordered mode, else null
     */
    private String queueIfFresh(ArenaEntry entry, String source) {
        if (!limits.ordered() || source != null) {
            return source;
        }
        String read = handler.sourceOf(entry);
        sources.add(read, entry.key());
        return read;
    }

    private static Outcome outcomeOf(Completion c) {
        if (c.error() != null) {
            Throwable cause = c.error() instanceof CompletionException && c.error().getCause() != null
                    ? c.error().getCause() : c.error();
            return Outcome.fail("PLUGIN_EXCEPTION", cause);
        }
        if (c.outcome() == null) {
            return Outcome.fail("NULL_OUTCOME", "the plugin's stage completed with no outcome");
        }
        if (c.outcome() instanceof Outcome.Later) {
            return Outcome.fail("NESTED_LATER", "the plugin's stage completed with another pending outcome");
        }
        return c.outcome();
    }
}
