package dev.arenaflow.plugins.enrich.internal;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugins.enrich.EnrichConfig;
import dev.arenaflow.schemas.SnapshotMeta;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of one plugin instance: an {@link HttpClient} with its own small executor, which
 * {@link #close} shuts down.
 *
 * <p>Threading notes: {@link #lookup} may be called on any thread and never blocks. The client's
 * executor threads read responses and run {@link LookupOutcomes}, which only builds owned records;
 * a lookup that outlives its deadline is completed by the JDK's shared delay thread instead.
 */
public final class LookupClient implements AutoCloseable {

    /** Responses are small and mapping them is quick, so two threads keep up with the limit. */
    private static final int THREADS = 2;
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final ExecutorService executor;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final LimitedBody body;
    private final LookupOutcomes outcomes;

    private LookupClient(EnrichConfig config, ExecutorService executor) {
        this.executor = executor;
        this.requestTimeout = config.requestTimeout();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
        this.body = new LimitedBody(config.maxResponseBytes());
        this.outcomes = new LookupOutcomes(config.urlTemplate().host(), config.retryDelay(), requestTimeout);
    }

    /**
     * Creates the client and its threads.
     *
     * @param config the plugin's settings
     * @return the client; close it
     */
    public static LookupClient open(EnrichConfig config) {
        return new LookupClient(config, Executors.newFixedThreadPool(THREADS, threads()));
    }

    /**
     * Starts one lookup.
     *
     * @param uri the source's URL
     * @param meta the snapshot's meta, owned and not used by the caller afterwards
     * @param payloadBytes the input record's payload length
     * @return completes with emit, fail or retry; exceptionally only on a bug
     */
    public CompletionStage<Outcome> lookup(URI uri, SnapshotMeta meta, long payloadBytes) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .GET()
                .build();
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, body);
        CompletableFuture<Outcome> outcome = exchange.handle((response, error) -> error != null
                ? outcomes.ofError(error)
                : outcomes.ofResponse(response, meta, payloadBytes, millisSince(started)));
        // The request timeout ends when the headers arrive; this deadline covers a slow body too.
        outcome.completeOnTimeout(outcomes.timedOut(), requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((result, error) -> exchange.cancel(true));
        return outcome;
    }

    /** Stops the client's threads; responses still on their way are dropped. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private static ThreadFactory threads() {
        int client = CLIENTS.incrementAndGet();
        AtomicInteger thread = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, "arenaflow-enrich-http-" + client + "-" + thread.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
