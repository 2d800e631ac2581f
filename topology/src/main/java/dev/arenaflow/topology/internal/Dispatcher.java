package dev.arenaflow.topology.internal;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.topology.PluginLimits;
import dev.arenaflow.topology.RetryPolicy;
import dev.arenaflow.topology.arena.ArenaEntry;
import dev.arenaflow.topology.arena.ArenaKey;
import dev.arenaflow.topology.arena.ArenaStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Drives one plugin's messages from the arena to their outcomes: dispatches them, keeps at most
 * one per source in flight in ordered mode, tracks async attempts and their deadlines, sends
 * failed attempts to a retry topic (or, past the last attempt, to the dead-letter topic), holds
 * messages back from a retry topic until their not-before time, and applies outcomes that
 * completed on other threads.
 *
 * <p>Kafka Streams cannot pause one partition, so a retry record is read as soon as it arrives
 * and waits in the arena, durable at commit, without holding back anything else. With ordered
 * retry, the failed message also keeps its place at the head of its source while its retry record
 * is in the topic, and later messages of that source are parked behind it.
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

    /** Carries out what became of an attempt. */
    interface Applier {
        /** Forwards the snapshots of an emit outcome. */
        void emit(ArenaEntry entry, Outcome.Emit emit);

        /** Sends the message to the dead-letter topic. */
        void deadLetter(ArenaEntry entry, Failure failure);

        /** Sends the message to the retry topic of a tier, to be attempted again at a time. */
        void retry(ArenaEntry entry, Duration tier, long notBeforeMs, Failure failure);
    }

    static final String PLUGIN_EXCEPTION = "PLUGIN_EXCEPTION";
    static final String TIMEOUT = "TIMEOUT";
    static final String RETRY = "RETRY";
    static final String RETRIES_EXHAUSTED = "RETRIES_EXHAUSTED";
    static final String PARKED_LIMIT = "PARKED_LIMIT";
    static final String PLUGIN_ERROR = "PLUGIN_ERROR";

    /** Failures worth another attempt; any other code the plugin chose is final. */
    private static final Set<String> RETRIABLE = Set.of(PLUGIN_EXCEPTION, TIMEOUT);
    private static final long MAX_WAIT_MS = 100;

    private final ArenaStore arena;
    private final PluginLimits limits;
    private final RetryPolicy policy;
    private final Handler handler;
    private final Applier applier;
    private final LongSupplier clock;
    private final DoubleSupplier random;
    private LongConsumer lateness = ms -> { };
    private LongConsumer completionLatency = ms -> { };
    private CircuitBreaker breaker = new CircuitBreaker(false, 1, 1, 1);
    private java.util.function.Consumer<String> onTrip = reason -> { };
    private final ArrayDeque<Flight> held = new ArrayDeque<>();
    private boolean halted;
    private int heldBeyondBound;
    private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final Map<ArenaKey, Flight> inFlight = new HashMap<>();
    private final ArrayDeque<Flight> deadlines = new ArrayDeque<>();
    private final PriorityQueue<Flight> retries = new PriorityQueue<>((a, b) -> Long.compare(a.dueMs(), b.dueMs()));
    private final SourceQueues sources = new SourceQueues();
    private long staleCompletions;
    private long redelivered;
    private long retriesSent;
    private long parkedLimitHits;
    private int retryWaits;
    private int awaitingRetry;

    /**
     * @param random draws the jitter of retry delays, in [0, 1)
     */
    Dispatcher(ArenaStore arena, PluginLimits limits, Handler handler, Applier applier, LongSupplier clock,
               DoubleSupplier random) {
        this.arena = arena;
        this.limits = limits;
        this.policy = limits.retry();
        this.handler = handler;
        this.applier = applier;
        this.clock = clock;
        this.random = random;
    }

    /**
     * @param breaker judges each finished attempt
     * @param onTrip told why, after the breaker tripped and the dispatcher halted
     */
    void guardWith(CircuitBreaker breaker, java.util.function.Consumer<String> onTrip) {
        this.breaker = breaker;
        this.onTrip = onTrip;
    }

    /**
     * Stops handing messages to the plugin (paused or disabled): what would be dispatched is held
     * in the arena, in arrival order, and retries stay parked. Attempts in flight complete.
     */
    void halt() {
        halted = true;
    }

    /** Halts now, as if the circuit breaker had tripped, for the given reason. */
    void trip(String reason) {
        if (!halted) {
            halt();
            onTrip.accept(reason);
        }
    }

    /** @return true while halted */
    boolean halted() {
        return halted;
    }

    /** Dispatches what was held while halted, in arrival order, and the retries that came due. */
    void resume() {
        if (!halted) {
            return;
        }
        halted = false;
        heldBeyondBound = 0;
        for (Flight h = held.poll(); h != null && !halted; h = held.poll()) {
            ArenaEntry entry = arena.get(h.key());
            if (entry != null && entry.attempt() == h.attempt() && dispatch(entry, h.source()) && h.source() != null) {
                startNext(h.source());
            }
        }
        startDueRetries();
    }

    /** @return messages held because the plugin is halted */
    int held() {
        return held.size();
    }

    /** @param lateness told, in ms, how late each retry was dispatched after its not-before time */
    void onRetryLateness(LongConsumer lateness) {
        this.lateness = lateness;
    }

    /** @param latency told, in ms, how long each async attempt took from its start to its completion being applied */
    void onAsyncCompletion(LongConsumer latency) {
        this.completionLatency = latency;
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
        if (halted && active() >= limits.maxInFlight()) {
            // A halted plugin must not stall the stream thread: past its in-flight bound, messages
            // wait as parked ones do, up to that bound too.
            if (parked() >= policy.maxParked()) {
                overflow(entry, "the plugin is halted and already holds " + arena.size() + " messages, its bounds "
                        + "(max.in.flight " + limits.maxInFlight() + " plus retry.max.parked " + policy.maxParked() + ")");
                return true;
            }
            heldBeyondBound++;
        }
        submit(entry);
        return true;
    }

    /** @return consumed records dropped because the arena already held them */
    long redelivered() {
        return redelivered;
    }

    /**
     * Takes a message back from a retry topic: it waits in the arena until its not-before time.
     * If it left an entry awaiting it (ordered retry), it takes that entry's place at the head of
     * its source.
     *
     * @param entry the message, at its next attempt, stage {@link ArenaEntry.Stage#RETRY_DUE}
     * @return false if the arena already held the message as something else: a copy, dropped
     */
    boolean submitRetry(ArenaEntry entry) {
        ArenaEntry held = arena.get(entry.key());
        if (held != null && held.stage() != ArenaEntry.Stage.AWAITING_RETRY) {
            redelivered++;
            return false;
        }
        if (held != null) {
            awaitingRetry--;
            arena.put(entry);
            waitForRetry(entry, limits.orderedPerSource() ? handler.sourceOf(entry) : null);
        } else if (entry.notBeforeMs() > clock.getAsLong() && parked() >= policy.maxParked()) {
            overflow(entry, parkedLimitMessage());
        } else {
            arena.put(entry);
            waitForRetry(entry, null);
        }
        startDueRetries();
        return true;
    }

    /** Dispatches a message, or queues it behind its source. */
    private void submit(ArenaEntry entry) {
        arena.put(entry);
        admit(entry);
    }

    /** Dispatches a message held in the arena, or queues it behind its source. */
    private void admit(ArenaEntry entry) {
        if (limits.orderedPerSource() && !sources.isEmpty()) {
            String source = handler.sourceOf(entry);
            if (sources.busy(source)) {
                if (sources.retrying(source) && parked() >= policy.maxParked()) {
                    overflow(entry, parkedLimitMessage());
                } else {
                    sources.add(source, entry.key());
                }
                return;
            }
        }
        dispatch(entry, null);
    }

    /** At the parking bound a message that would wait goes to the dead-letter topic, from where it can be replayed. */
    private void overflow(ArenaEntry entry, String why) {
        parkedLimitHits++;
        applier.deadLetter(entry, Failure.chosen(PARKED_LIMIT, why));
        arena.ack(entry.key());
    }

    private String parkedLimitMessage() {
        return "the plugin already holds " + parked() + " messages waiting for a retry or parked behind one, "
                + "its bound (retry.max.parked)";
    }

    /**
     * Takes over what was restored from the arena's changelog, oldest first. An entry that was
     * being handled is dispatched again as the next attempt, once any deferral is over; one back
     * from a retry topic waits for its time, as the attempt it was; one awaiting its retry record
     * keeps holding its source.
     */
    void recover() {
        // entries() is a snapshot, so submitting (which writes the arena) does not disturb the loop.
        Collection<ArenaEntry> restored = arena.entries();
        for (ArenaEntry e : restored) {
            switch (e.stage()) {
                case HANDLING -> submit(e.nextAttempt(e.notBeforeMs()));
                case AWAITING_RETRY -> {
                    awaitingRetry++;
                    holdSourceForRetry(e);
                }
                case RETRY_DUE -> waitForRetry(e, policy.orderedAcrossRetries() ? holdSourceForRetry(e) : null);
            }
        }
    }

    private String holdSourceForRetry(ArenaEntry entry) {
        if (!limits.orderedPerSource()) {
            return null;
        }
        String source = handler.sourceOf(entry);
        sources.add(source, entry.key());
        sources.setRetrying(source, true);
        return source;
    }

    private void waitForRetry(ArenaEntry entry, String source) {
        retries.add(new Flight(entry.key(), entry.attempt(), entry.notBeforeMs(), source, true));
        retryWaits++;
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
        if (halted) {
            return true;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxBlockMs);
        while (active() >= limits.maxInFlight()) {
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

    /**
     * @return messages held waiting for a retry: back from a retry topic and not due yet, awaiting
     *         their retry record, or parked behind one of those
     */
    int parked() {
        return retryWaits + awaitingRetry + sources.parkedBehindRetry() + heldBeyondBound;
    }

    /** @return messages held that count towards {@code max.in.flight}: all but the parked ones */
    private int active() {
        return arena.size() - parked();
    }

    /** @return messages sent to a retry topic */
    long retriesSent() {
        return retriesSent;
    }

    /** @return messages sent to the dead-letter topic because the parking bound was reached */
    long parkedLimitHits() {
        return parkedLimitHits;
    }

    /** Forgets everything in memory; the arena's durable entries are dispatched again by the next owner. */
    void clear() {
        inFlight.clear();
        deadlines.clear();
        retries.clear();
        sources.clear();
        completions.clear();
        held.clear();
        retryWaits = 0;
        awaitingRetry = 0;
        heldBeyondBound = 0;
    }

    /**
     * @param source the entry's source if it heads that source's queue; null for a fresh entry
     * @return true if the entry was resolved now; false if it is in flight or waiting for a retry
     */
    private boolean dispatch(ArenaEntry entry, String source) {
        if (halted) {
            held.add(new Flight(entry.key(), entry.attempt(), 0, queueIfFresh(entry, source)));
            return false;
        }
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
        if (outcome instanceof Outcome.Defer defer) {
            ArenaEntry parked = entry.parkedUntil(defer.until().toEpochMilli());
            arena.put(parked);
            park(parked, queueIfFresh(entry, source));
            return false;
        }
        boolean failed = !(outcome instanceof Outcome.Emit);
        String trip = PLUGIN_ERROR.equals(outcome instanceof Outcome.Fail f ? f.code() : null)
                ? "the plugin threw " + ((Outcome.Fail) outcome).errorClass() + ": " + ((Outcome.Fail) outcome).message()
                : breaker.record(failed, clock.getAsLong());
        boolean left = apply(entry, outcome, source);
        if (trip != null) {
            trip(trip);
        }
        return left;
    }

    private boolean apply(ArenaEntry entry, Outcome outcome, String source) {
        if (outcome instanceof Outcome.Retry retry) {
            return retry(entry, retry.delay(), Failure.chosen(RETRY, retry.reason()), source);
        }
        if (outcome instanceof Outcome.Fail fail) {
            Failure failure = Failure.of(fail);
            if (RETRIABLE.contains(fail.code())) {
                return retry(entry, policy.delayAfter(entry.attempt()), failure, source);
            }
            applier.deadLetter(entry, failure);
        } else {
            applier.emit(entry, (Outcome.Emit) outcome);
        }
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

    /**
     * Sends a failed attempt to the retry topic of the first tier at least as long as the wanted
     * delay, or to the dead-letter topic if it was the last attempt.
     *
     * @return true if the message left the arena; false if it stays, awaiting its retry record
     */
    private boolean retry(ArenaEntry entry, Duration wanted, Failure failure, String source) {
        if (entry.attempt() >= policy.maxAttempts()) {
            applier.deadLetter(entry, new Failure(RETRIES_EXHAUSTED, "attempt " + entry.attempt() + " of "
                    + policy.maxAttempts() + " failed: " + failure.code() + ": " + failure.message(),
                    failure.errorClass()));
            arena.ack(entry.key());
            return true;
        }
        long wait = wanted.toMillis();
        long notBeforeMs = clock.getAsLong() + wait + (long) (wait * policy.jitter() * random.getAsDouble());
        applier.retry(entry, policy.tierFor(wanted), notBeforeMs, failure);
        retriesSent++;
        if (!policy.orderedAcrossRetries()) {
            arena.ack(entry.key());
            return true;
        }
        arena.put(entry.awaitingRetry());
        awaitingRetry++;
        sources.setRetrying(queueIfFresh(entry, source), true);
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
        completionLatency.accept(clock.getAsLong() - (flight.dueMs() - limits.timeoutMs()));
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
                settle(arena.get(flight.key()), Outcome.fail(TIMEOUT, "attempt " + flight.attempt()
                        + " timed out after " + limits.timeoutMs() + " ms"), flight.source());
            }
        }
    }

    private void startDueRetries() {
        if (halted) {
            return;
        }
        long now = clock.getAsLong();
        while (!retries.isEmpty() && retries.peek().dueMs() <= now) {
            Flight due = retries.poll();
            if (due.retry()) {
                retryWaits--;
            }
            ArenaEntry entry = arena.get(due.key());
            if (entry == null || entry.attempt() != due.attempt()) {
                continue;
            }
            if (due.retry()) {
                lateness.accept(now - due.dueMs());
                entry = entry.handling();
                arena.put(entry);
                if (due.source() == null) {
                    admit(entry);
                    continue;
                }
                sources.setRetrying(due.source(), false);
            }
            if (dispatch(entry, due.source()) && due.source() != null) {
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
        if (!limits.orderedPerSource() || source != null) {
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
            return Outcome.fail(cause instanceof Error ? PLUGIN_ERROR : PLUGIN_EXCEPTION, cause);
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
