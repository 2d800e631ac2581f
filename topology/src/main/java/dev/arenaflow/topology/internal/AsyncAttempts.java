package dev.arenaflow.topology.internal;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.topology.arena.ArenaEntry;
import dev.arenaflow.topology.arena.ArenaKey;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The plugin's async attempts in flight, their deadlines, and the completions their stages send
 * back. Each attempt is settled once, on the stream thread: by its completion, or, once its
 * deadline passes, by the timeout's verdict (a {@code TIMEOUT} failure unless the plugin decides). A completion of an attempt that was already
 * settled or superseded is stale, counted and ignored.
 *
 * <p>Threading notes: a stage's callback, on whatever thread completes the stage, only adds to the
 * completions queue; every method runs on the stream thread.
 */
final class AsyncAttempts {

    /** Takes the outcome of a settled attempt. */
    interface Settler {
        /**
         * @param key the message
         * @param outcome what became of the attempt, never {@link Outcome.Later}
         * @param source the source the message heads, or null
         */
        void settle(ArenaKey key, Outcome outcome, String source);
    }

    /** Decides what an attempt past its deadline becomes. */
    interface TimeoutJudge {
        /**
         * @param key the message
         * @param timeout the default: a {@code TIMEOUT} failure
         * @return the verdict, never {@link Outcome.Later} or {@link Outcome.Defer}
         */
        Outcome judge(ArenaKey key, Outcome timeout);
    }

    private record InFlight(ArenaKey key, int attempt, long startedMs, long deadlineMs, String source) {
    }

    private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final Map<ArenaKey, InFlight> inFlight = new HashMap<>();
    // Attempts start in clock order and share one timeout, so their deadlines come in that order too.
    private final ArrayDeque<InFlight> deadlines = new ArrayDeque<>();
    private final long timeoutMs;
    private final LongSupplier clock;
    private final Settler settler;
    private TimeoutJudge judge = (key, timeout) -> timeout;
    private LongConsumer latency = ms -> { };
    private long stale;

    /**
     * @param timeoutMs an attempt not complete after this long has failed
     * @param clock the time now, in ms
     * @param settler takes each settled attempt's outcome
     */
    AsyncAttempts(long timeoutMs, LongSupplier clock, Settler settler) {
        this.timeoutMs = timeoutMs;
        this.clock = clock;
        this.settler = settler;
    }

    /** @param judge decides what each attempt past its deadline becomes; by default a {@code TIMEOUT} failure */
    void judgeTimeoutsWith(TimeoutJudge judge) {
        this.judge = judge;
    }

    /** @param latency told, in ms, how long each attempt took from its start to its completion being settled */
    void onCompletion(LongConsumer latency) {
        this.latency = latency;
    }

    /**
     * Starts tracking an attempt whose outcome is pending; its deadline is now plus the timeout.
     *
     * @param source the source the message heads, or null
     */
    void track(ArenaEntry entry, Outcome.Later later, String source) {
        long now = clock.getAsLong();
        InFlight attempt = new InFlight(entry.key(), entry.attempt(), now, now + timeoutMs, source);
        inFlight.put(entry.key(), attempt);
        deadlines.add(attempt);
        later.stage().whenComplete((outcome, error) ->
                completions.add(new Completion(entry.key(), entry.attempt(), outcome, error)));
    }

    /** Settles every completion that has arrived. */
    void drain() {
        Completion c;
        while ((c = completions.poll()) != null) {
            complete(c);
        }
    }

    /**
     * Waits for one completion and settles it.
     *
     * @return false if none arrived within the time
     */
    boolean awaitOne(long maxWaitMs) throws InterruptedException {
        Completion c = completions.poll(maxWaitMs, TimeUnit.MILLISECONDS);
        if (c == null) {
            return false;
        }
        complete(c);
        return true;
    }

    /** Settles every attempt past its deadline as a {@code TIMEOUT} failure. */
    void expire() {
        long now = clock.getAsLong();
        while (!deadlines.isEmpty() && deadlines.peek().deadlineMs() <= now) {
            InFlight attempt = deadlines.poll();
            // Identity, not equality: a later attempt of the same message has a deadline of its own.
            if (inFlight.get(attempt.key()) == attempt) {
                // Removed before the judge runs: from here on, the stage's own completion is stale.
                inFlight.remove(attempt.key());
                Outcome timeout = Outcome.fail(Dispatcher.TIMEOUT, "attempt " + attempt.attempt()
                        + " timed out after " + timeoutMs + " ms");
                settler.settle(attempt.key(), judge.judge(attempt.key(), timeout), attempt.source());
            }
        }
    }

    /** @return the earliest deadline of an attempt that may be in flight, or {@link Long#MAX_VALUE} */
    long nextDeadlineMs() {
        InFlight next = deadlines.peek();
        return next == null ? Long.MAX_VALUE : next.deadlineMs();
    }

    /** @return when the oldest attempt in flight started, in ms, or -1 if none */
    long oldestStartMs() {
        // Settled attempts stay in the deadline queue until their deadline; drop those at its head.
        while (!deadlines.isEmpty() && inFlight.get(deadlines.peek().key()) != deadlines.peek()) {
            deadlines.poll();
        }
        InFlight oldest = deadlines.peek();
        return oldest == null ? -1 : oldest.startedMs();
    }

    /** @return when this message's attempt in flight started, in ms, or -1 if none is */
    long startedMs(ArenaKey key) {
        InFlight attempt = inFlight.get(key);
        return attempt == null ? -1 : attempt.startedMs();
    }

    /** @return attempts in flight */
    int size() {
        return inFlight.size();
    }

    /** @return completions ignored because their attempt had been settled or superseded */
    long stale() {
        return stale;
    }

    /** Forgets every attempt; completions that arrive later are stale. */
    void clear() {
        inFlight.clear();
        deadlines.clear();
        completions.clear();
    }

    private void complete(Completion c) {
        InFlight attempt = inFlight.get(c.key());
        if (attempt == null || attempt.attempt() != c.attempt()) {
            stale++;
            return;
        }
        inFlight.remove(c.key());
        latency.accept(clock.getAsLong() - attempt.startedMs());
        settler.settle(c.key(), outcomeOf(c), attempt.source());
    }

    /** A stage that failed or completed with no final outcome is a failed attempt, like a throwing handle(). */
    static Outcome outcomeOf(Completion c) {
        if (c.error() != null) {
            Throwable cause = c.error() instanceof CompletionException && c.error().getCause() != null
                    ? c.error().getCause() : c.error();
            return Outcome.fail(cause instanceof Error ? Dispatcher.PLUGIN_ERROR : Dispatcher.PLUGIN_EXCEPTION, cause);
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
