package dev.arenaflow.plugins.enrich.internal;

import dev.arenaflow.plugin.Outcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One message's lookup, from {@code handle} until its outcome is known. It holds only values
 * copied out of the view and message, inside the request supplier.
 *
 * <p>Threading notes: created on the stream thread. {@link #start} runs on the stream thread or on
 * the thread that completed an earlier lookup. The outcome completes on an HTTP client thread, on
 * the JDK's delay thread at the deadline, or on the stream thread if the plugin closes first. The
 * first completion wins; later ones are ignored.
 */
public final class Lookup {

    private final Supplier<? extends CompletionStage<Outcome>> request;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

    /**
     * Creates a lookup that has not started.
     *
     * @param request starts the HTTP request; its stage completes with the outcome
     */
    public Lookup(Supplier<? extends CompletionStage<Outcome>> request) {
        this.request = request;
    }

    /** @return the outcome, read-only: completing it is the lookup's business alone */
    public CompletionStage<Outcome> outcome() {
        return outcome.minimalCompletionStage();
    }

    CompletableFuture<Outcome> start() {
        try {
            request.get().whenComplete(this::settle);
        } catch (RuntimeException e) {
            outcome.completeExceptionally(e);
        }
        return outcome;
    }

    void abandon(Outcome instead) {
        outcome.complete(instead);
    }

    private void settle(Outcome result, Throwable error) {
        if (error != null) {
            outcome.completeExceptionally(error);
        } else {
            outcome.complete(result);
        }
    }
}
