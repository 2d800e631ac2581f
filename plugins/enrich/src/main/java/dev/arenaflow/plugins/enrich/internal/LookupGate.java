package dev.arenaflow.plugins.enrich.internal;

import dev.arenaflow.plugin.Outcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Limits how many lookups run at once. A lookup over the limit waits in a queue, and the completion
 * of a running one starts the next, so {@link #submit} never waits. The queue needs no bound of its
 * own: it holds only unacknowledged messages, which arenaflow bounds with {@code max.in.flight}.
 *
 * <p>Threading notes: {@link #submit} and {@link #close} are called on the stream thread; lookups
 * complete on HTTP client threads and start the next one there. A lock guards the queue and the
 * set of running lookups; it is held only for their bookkeeping, never while a lookup starts or
 * completes.
 */
public final class LookupGate {

    private final int limit;
    private final ArrayDeque<Lookup> waiting = new ArrayDeque<>();
    private final Set<Lookup> running = new HashSet<>();
    private boolean closed;

    /**
     * Creates an open gate.
     *
     * @param limit the most lookups running at once; at least 1
     */
    public LookupGate(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1 but was " + limit);
        }
        this.limit = limit;
    }

    /**
     * Starts a lookup now, or queues it until a running one completes.
     *
     * @param lookup a new lookup
     * @throws IllegalStateException if the gate is closed
     */
    public void submit(Lookup lookup) {
        if (admit(lookup)) {
            run(lookup);
        }
    }

    /**
     * Completes every queued and running lookup with the given outcome, and refuses new ones.
     *
     * @param instead the outcome of lookups that did not complete
     */
    public void close(Outcome instead) {
        List<Lookup> pending;
        synchronized (this) {
            closed = true;
            pending = new ArrayList<>(running);
            pending.addAll(waiting);
            running.clear();
            waiting.clear();
        }
        pending.forEach(lookup -> lookup.abandon(instead));
    }

    /** @return how many lookups are running */
    public synchronized int running() {
        return running.size();
    }

    /** @return how many lookups wait for a running one to complete */
    public synchronized int waiting() {
        return waiting.size();
    }

    private synchronized boolean admit(Lookup lookup) {
        if (closed) {
            throw new IllegalStateException("the enrich plugin is closed");
        }
        if (running.size() < limit) {
            running.add(lookup);
            return true;
        }
        waiting.add(lookup);
        return false;
    }

    /** Runs lookups in a loop while they complete at once, so a long queue cannot overflow the stack. */
    private void run(Lookup first) {
        Lookup next = first;
        while (next != null) {
            CompletableFuture<Outcome> done = next.start();
            if (!done.isDone()) {
                Lookup current = next;
                done.whenComplete((outcome, error) -> run(finish(current)));
                return;
            }
            next = finish(next);
        }
    }

    private synchronized Lookup finish(Lookup done) {
        running.remove(done);
        Lookup next = closed ? null : waiting.poll();
        if (next != null) {
            running.add(next);
        }
        return next;
    }
}
