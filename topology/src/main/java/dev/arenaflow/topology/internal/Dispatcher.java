package dev.arenaflow.topology.internal;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.topology.DeadLetterHeaders;
import dev.arenaflow.topology.PluginLimits;
import dev.arenaflow.topology.why.PendingMessage;
import dev.arenaflow.topology.arena.ArenaEntry;
import dev.arenaflow.topology.arena.ArenaKey;
import dev.arenaflow.topology.arena.ArenaStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Drives one plugin's messages from the arena to their outcomes. It keeps no state of its own
 * beyond a counter; it passes each message between its parts: {@link SourceOrder} (per-source
 * order), {@link AsyncAttempts} (attempts in flight, their deadlines and completions),
 * {@link NotBeforeQueue} (deferred messages and retries not due yet), {@link Halt} (a paused,
 * disabled or tripped plugin), {@link RetryScheduler} (failed attempts) and {@link Admission}
 * (the in-flight and parking bounds).
 *
 * <p>Kafka Streams cannot pause one partition, so a retry record is read as soon as it arrives
 * and waits in the arena, durable at commit, without holding back anything else. With ordered
 * retry, the failed message also keeps its place at the head of its source while its retry record
 * is in the topic, and later messages of that source are parked behind it.
 *
 * <p>Threading notes: everything here runs on the stream thread, except the stage callbacks,
 * which only add to the completions of {@link AsyncAttempts}. An entry is acknowledged only on the
 * stream thread.
 */
final class Dispatcher {

    /** Hands one entry to the plugin; the view is lent and released inside. */
    interface Handler {
        /** @return the plugin's outcome, never null */
        Outcome handle(ArenaEntry entry);

        /** @return the entry's source, read from its value */
        String sourceOf(ArenaEntry entry);

        /**
         * Asks the plugin what an attempt past its deadline becomes; the view is lent and released inside.
         *
         * @param timeout the default: a {@code TIMEOUT} failure
         * @return the verdict: an emit, a failure or a retry; {@code timeout} if the plugin has none
         */
        default Outcome onTimeout(ArenaEntry entry, Outcome timeout) {
            return timeout;
        }
    }

    /** Carries out what became of an attempt. */
    interface Applier {
        /** Forwards the snapshots of an emit outcome. */
        void emit(ArenaEntry entry, Outcome.Emit emit);

        /** Sends the message to the dead-letter topic. */
        void deadLetter(ArenaEntry entry, Failure failure);

        /**
         * Sends the message to the retry topic of a tier, to be attempted again at a time.
         *
         * @return true if it went; false if its retry record was too large for the topic and it went to
         *         the dead-letter topic instead, so that it is done
         */
        boolean retry(ArenaEntry entry, Duration tier, long notBeforeMs, Failure failure);
    }

    static final String PLUGIN_EXCEPTION = "PLUGIN_EXCEPTION";
    static final String TIMEOUT = "TIMEOUT";
    static final String RETRY = "RETRY";
    static final String RETRIES_EXHAUSTED = "RETRIES_EXHAUSTED";
    static final String PARKED_LIMIT = "PARKED_LIMIT";
    static final String PLUGIN_ERROR = "PLUGIN_ERROR";

    private static final long MAX_WAIT_MS = 100;

    private final ArenaStore arena;
    private final PluginLimits limits;
    private final Handler handler;
    private final Applier applier;
    private final LongSupplier clock;
    private final SourceOrder order;
    private final NotBeforeQueue waiting = new NotBeforeQueue();
    private final Halt halt = new Halt();
    private final AsyncAttempts attempts;
    private final RetryScheduler retries;
    private final Admission admission;
    private LongConsumer lateness = ms -> { };
    private Runnable afterPoll = () -> { };
    private long blockedSinceNanos = -1;
    private long lastNowMs = Long.MIN_VALUE;
    private long redelivered;

    /**
     * @param clock the time now, in ms
     * @param random draws the jitter of retry delays, in [0, 1)
     */
    Dispatcher(ArenaStore arena, PluginLimits limits, Handler handler, Applier applier, LongSupplier clock,
               DoubleSupplier random) {
        this.arena = arena;
        this.limits = limits;
        this.handler = handler;
        this.applier = applier;
        this.clock = clock;
        this.order = new SourceOrder(limits.orderedPerSource(), handler::sourceOf, limits.quarantine(),
                limits.maxInFlight(), this::now, halt::halted);
        this.attempts = new AsyncAttempts(limits.timeoutMs(), this::now, this::settle);
        attempts.judgeTimeoutsWith((key, timeout) -> handler.onTimeout(arena.get(key), timeout));
        this.retries = new RetryScheduler(arena, limits.retry(), applier, this::now, random);
        this.admission = new Admission(arena, limits, applier, waiting, retries, order, halt);
    }

    /**
     * @param breaker judges each finished attempt
     * @param onTrip told why, after the breaker tripped and the dispatcher halted
     */
    void guardWith(CircuitBreaker breaker, Consumer<String> onTrip) {
        halt.guardWith(breaker, onTrip);
    }

    /**
     * Stops handing messages to the plugin (paused or disabled): what would be dispatched is held
     * in the arena, in arrival order, and retries stay parked. Attempts in flight complete.
     */
    void halt() {
        halt.halt();
    }

    /** Halts now, as if the circuit breaker had tripped, for the given reason. */
    void trip(String reason) {
        halt.trip(reason);
    }

    /** @return true while halted */
    boolean halted() {
        return halt.halted();
    }

    /** Dispatches what was held while halted, in arrival order, and the retries that came due. */
    void resume() {
        if (!halt.resume()) {
            return;
        }
        // A held message is taken only while not halted again: one taken after a trip would be lost
        // to the next resume, and its source would stay busy.
        while (!halt.halted()) {
            Halt.Held h = halt.nextHeld();
            if (h == null) {
                break;
            }
            ArenaEntry entry = arena.get(h.key());
            if (entry != null && entry.attempt() == h.attempt() && dispatch(entry, h.source()) && h.source() != null) {
                startNext(h.source());
            }
        }
        startDue();
    }

    /** @param lateness told, in ms, how late each retry was dispatched after its not-before time */
    void onRetryLateness(LongConsumer lateness) {
        this.lateness = lateness;
    }

    /** @param latency told, in ms, how long each async attempt took from its start to its completion being applied */
    void onAsyncCompletion(LongConsumer latency) {
        attempts.onCompletion(latency);
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
        if (halt.halted() && admission.atInFlightBound()) {
            // A halted plugin must not stall the stream thread: past its in-flight bound, messages
            // wait as parked ones do, up to that bound too.
            if (admission.atParkingBound()) {
                admission.overflowHalted(entry);
                return true;
            }
            halt.countBeyondBound();
        }
        submit(entry);
        return true;
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
            retries.recordReturned();
            arena.put(entry);
            waiting.awaitRetryTime(entry, order.sourceOf(entry));
        } else if (entry.notBeforeMs() > now() && admission.atParkingBound()) {
            admission.overflowParked(entry);
        } else {
            arena.put(entry);
            waiting.awaitRetryTime(entry, null);
        }
        startDue();
        return true;
    }

    /**
     * Takes over what was restored from the arena's changelog, oldest first. An entry that was
     * being handled is dispatched again as the next attempt, once any deferral is over; one back
     * from a retry topic waits for its time, as the attempt it was; one awaiting its retry record
     * keeps holding its source.
     */
    void recover() {
        // entries() is a snapshot, so submitting (which writes the arena) does not disturb the loop.
        for (ArenaEntry e : arena.entries()) {
            switch (e.stage()) {
                case HANDLING -> submit(e.nextAttempt(e.notBeforeMs()));
                case AWAITING_RETRY -> {
                    retries.restoredAwaiting();
                    order.headAwaitingRetry(e);
                }
                case RETRY_DUE -> waiting.awaitRetryTime(e,
                        limits.retry().orderedAcrossRetries() ? order.headAwaitingRetry(e) : null);
            }
        }
    }

    /** Applies the completions that arrived, fails attempts past their deadline, and starts what came due. */
    void poll() {
        attempts.drain();
        attempts.expire();
        order.sweep();
        startDue();
        afterPoll.run();
    }

    /** @param afterPoll run at the end of every poll, also while the stream thread waits for capacity */
    void afterPoll(Runnable afterPoll) {
        this.afterPoll = afterPoll;
    }

    /**
     * The time now, in ms: the task's clock, moved on by the real time spent waiting in
     * {@link #awaitCapacity}, and never going back. Kafka Streams' cached system time, which the
     * task's clock reads, stands still while the stream thread waits inside {@code process()}; without
     * this, an attempt could not time out, nor a source be quarantined, while the thread waits for
     * room, which is when it matters most.
     */
    private long now() {
        long now = clock.getAsLong();
        if (blockedSinceNanos >= 0) {
            now += TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - blockedSinceNanos);
        }
        lastNowMs = Math.max(lastNowMs, now);
        return lastNowMs;
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
        if (halt.halted()) {
            return true;
        }
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(maxBlockMs);
        blockedSinceNanos = start;
        try {
            while (admission.atInFlightBound()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                attempts.awaitOne(Math.min(left, waitMillis()));
                poll();
            }
            return true;
        } finally {
            blockedSinceNanos = -1;
        }
    }

    /** @return messages held because the plugin is halted */
    int held() {
        return halt.held();
    }

    /** @return consumed records dropped because the arena already held them */
    long redelivered() {
        return redelivered;
    }

    /** @return completions ignored because their attempt had been superseded */
    long staleCompletions() {
        return attempts.stale();
    }

    /** @return attempts in flight */
    int inFlight() {
        return attempts.size();
    }

    /** @return when the oldest attempt in flight started, in ms, or -1 if none */
    long oldestInFlightStartMs() {
        return attempts.oldestStartMs();
    }

    /** @return messages parked, as {@link Admission#parked()} counts them */
    int parked() {
        return admission.parked();
    }

    /** @return true if the source is quarantined */
    boolean quarantined(String source) {
        return order.quarantined(source);
    }

    /**
     * Says where each un-acknowledged message of a source is. Reads every arena entry's source, so
     * it is for a person's question, not for the hot path.
     *
     * @return the source's messages, in input order
     */
    List<PendingMessage> pendingOf(String source) {
        long now = now();
        ArenaKey head = order.headOf(source);
        List<PendingMessage> pending = new ArrayList<>();
        for (ArenaEntry e : arena.entries()) {
            if (source.equals(handler.sourceOf(e))) {
                pending.add(describe(e, now, head, source));
            }
        }
        pending.sort(Comparator.comparing(PendingMessage::topic).thenComparingInt(PendingMessage::partition)
                .thenComparingLong(PendingMessage::offset));
        return pending;
    }

    private PendingMessage describe(ArenaEntry e, long now, ArenaKey head, String source) {
        ArenaKey key = e.key();
        long started = attempts.startedMs(key);
        long since = -1;
        long until = -1;
        long behind = -1;
        PendingMessage.Stage stage;
        if (e.stage() == ArenaEntry.Stage.AWAITING_RETRY) {
            stage = PendingMessage.Stage.AWAITING_RETRY_RECORD;
        } else if (e.stage() == ArenaEntry.Stage.RETRY_DUE) {
            stage = PendingMessage.Stage.WAITING_FOR_RETRY;
            until = e.notBeforeMs();
        } else if (started >= 0) {
            stage = PendingMessage.Stage.IN_FLIGHT;
            since = started;
        } else if (halt.holds(key)) {
            stage = PendingMessage.Stage.HELD_BY_PAUSE;
        } else if (head != null && !head.equals(key)) {
            stage = order.parks(source) ? PendingMessage.Stage.PARKED : PendingMessage.Stage.QUEUED;
            behind = head.offset();
        } else if (e.notBeforeMs() > now) {
            stage = PendingMessage.Stage.DEFERRED;
            until = e.notBeforeMs();
        } else {
            stage = PendingMessage.Stage.DISPATCHING;
        }
        String code = DeadLetterHeaders.text(e.headers(), DeadLetterHeaders.ERROR_CODE);
        String lastError = code == null ? null
                : code + ": " + DeadLetterHeaders.text(e.headers(), DeadLetterHeaders.ERROR_MESSAGE);
        return new PendingMessage(key.topic(), key.partition(), key.offset(), e.attempt(), stage, since, until, behind,
                lastError);
    }

    /** @return sources quarantined now */
    int quarantinedSources() {
        return order.quarantinedSources();
    }

    /** @return times a source was quarantined */
    long quarantines() {
        return order.quarantines();
    }

    /** @param listener told when a source is quarantined or released */
    void onQuarantine(Quarantine.Listener listener) {
        order.onQuarantine(listener);
    }

    /** @return messages sent to a retry topic */
    long retriesSent() {
        return retries.sent();
    }

    /** @return messages sent to the dead-letter topic because the parking bound was reached */
    long parkedLimitHits() {
        return admission.overflows();
    }

    /** Forgets everything in memory; the arena's durable entries are dispatched again by the next owner. */
    void clear() {
        attempts.clear();
        waiting.clear();
        order.clear();
        halt.clear();
        retries.clear();
    }

    private void submit(ArenaEntry entry) {
        arena.put(entry);
        admit(entry);
    }

    /** Dispatches a message held in the arena, or queues it behind its source. */
    private void admit(ArenaEntry entry) {
        String busy = order.busySourceOf(entry);
        if (busy == null) {
            dispatch(entry, null);
        } else if (order.parks(busy) && admission.atParkingBound()) {
            admission.overflowParked(entry);
        } else {
            order.waitBehind(busy, entry.key());
        }
    }

    /**
     * @param source the entry's source if it heads that source's queue; null for a fresh entry
     * @return true if the entry was resolved now; false if it is in flight, held or waiting
     */
    private boolean dispatch(ArenaEntry entry, String source) {
        if (halt.halted()) {
            halt.hold(entry, order.head(entry, source));
            return false;
        }
        if (entry.notBeforeMs() > now()) {
            waiting.defer(entry, order.head(entry, source));
            return false;
        }
        return resolve(entry, handler.handle(entry), source);
    }

    private boolean resolve(ArenaEntry entry, Outcome outcome, String source) {
        if (outcome instanceof Outcome.Later later) {
            attempts.track(entry, later, order.head(entry, source));
            return false;
        }
        if (outcome instanceof Outcome.Defer defer) {
            ArenaEntry deferred = entry.parkedUntil(defer.until().toEpochMilli());
            arena.put(deferred);
            waiting.defer(deferred, order.head(entry, source));
            return false;
        }
        String trip = halt.tripReason(outcome, now());
        boolean left = apply(entry, outcome, source);
        if (trip != null) {
            halt.trip(trip);
        }
        return left;
    }

    /** @return true if the message left the arena; false if it stays, awaiting its retry record */
    private boolean apply(ArenaEntry entry, Outcome outcome, String source) {
        if (outcome instanceof Outcome.Retry retry) {
            return retry(entry, retry.delay(), Failure.chosen(RETRY, retry.reason()), source);
        }
        if (outcome instanceof Outcome.Fail fail) {
            Failure failure = Failure.of(fail);
            if (RetryScheduler.retriable(fail.code())) {
                return retry(entry, limits.retry().delayAfter(entry.attempt()), failure, source);
            }
            applier.deadLetter(entry, failure);
        } else {
            applier.emit(entry, (Outcome.Emit) outcome);
        }
        arena.ack(entry.key());
        return true;
    }

    private boolean retry(ArenaEntry entry, Duration wanted, Failure failure, String source) {
        if (retries.send(entry, wanted, failure)) {
            return true;
        }
        order.setRetrying(order.head(entry, source), true);
        return false;
    }

    /** An async attempt settled: applies its outcome and, if that freed its source, starts the next. */
    private void settle(ArenaKey key, Outcome outcome, String source) {
        if (resolve(arena.get(key), outcome, source) && source != null) {
            startNext(source);
        }
    }

    /** Dispatches the waiting messages of a source in order until one does not resolve at once. */
    private void startNext(String source) {
        for (ArenaKey next = order.next(source); next != null; next = order.next(source)) {
            if (!dispatch(arena.get(next), source)) {
                return;
            }
        }
    }

    /** Dispatches the deferred messages and retries that came due, unless halted. */
    private void startDue() {
        if (halt.halted()) {
            return;
        }
        long now = now();
        for (NotBeforeQueue.Waiting due = waiting.pollDue(now); due != null; due = waiting.pollDue(now)) {
            ArenaEntry entry = arena.get(due.key());
            if (entry == null || entry.attempt() != due.attempt()) {
                continue;
            }
            if (due.backFromRetry()) {
                lateness.accept(now - due.notBeforeMs());
                entry = entry.handling();
                arena.put(entry);
                if (due.source() == null) {
                    admit(entry);
                    continue;
                }
                order.setRetrying(due.source(), false);
            }
            if (dispatch(entry, due.source()) && due.source() != null) {
                startNext(due.source());
            }
        }
    }

    /** @return how long to wait for a completion: until the next deadline or due time, within bounds */
    private long waitMillis() {
        long untilNext = Math.min(attempts.nextDeadlineMs(), waiting.nextDueMs()) - now();
        return Math.max(1, Math.min(MAX_WAIT_MS, untilNext));
    }
}
