package dev.arenaflow.plugins.enrich.internal;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.schemas.EnrichedSnapshot;
import dev.arenaflow.schemas.SnapshotMeta;
import java.io.IOException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;

/**
 * Maps the result of one lookup to an outcome. Messages name the host and the status or exception
 * class only: never the URL's path or query, headers or exception messages, which may hold secrets.
 *
 * <p>Threading notes: immutable; called on HTTP client threads. It builds owned records from
 * values copied on the stream thread and touches nothing else.
 */
final class LookupOutcomes {

    static final String UNKNOWN_SOURCE = "UNKNOWN_SOURCE";
    static final String LOOKUP_REJECTED = "LOOKUP_REJECTED";
    static final String BAD_LOOKUP_RESPONSE = "BAD_LOOKUP_RESPONSE";

    private final String host;
    private final Duration retryDelay;
    private final Duration requestTimeout;
    private final Outcome timedOut;

    LookupOutcomes(String host, Duration retryDelay, Duration requestTimeout) {
        this.host = host;
        this.retryDelay = retryDelay;
        this.requestTimeout = requestTimeout;
        this.timedOut = Outcome.retry(retryDelay, "lookup at " + host + " timed out after " + timeoutMillis() + " ms");
    }

    Outcome ofResponse(HttpResponse<byte[]> response, SnapshotMeta meta, long payloadBytes, long lookupMillis) {
        int status = response.statusCode();
        if (status == 200) {
            return ofBody(response.body(), meta, payloadBytes, lookupMillis);
        }
        String what = "HTTP " + status + " from " + host;
        if (status == 404) {
            return Outcome.fail(UNKNOWN_SOURCE, what);
        }
        if (status >= 500 || status == 408 || status == 429) {
            return Outcome.retry(retryDelay, what);
        }
        if (status >= 400) {
            return Outcome.fail(LOOKUP_REJECTED, what);
        }
        return Outcome.fail(BAD_LOOKUP_RESPONSE, "unexpected " + what);
    }

    /**
     * @throws CompletionException for an error that is not an I/O failure: a bug, not a lookup result
     */
    Outcome ofError(Throwable error) {
        LimitedBody.TooLargeException tooLarge = find(error, LimitedBody.TooLargeException.class);
        if (tooLarge != null) {
            return Outcome.fail(BAD_LOOKUP_RESPONSE, "response from " + host + ": " + tooLarge.getMessage());
        }
        if (find(error, HttpConnectTimeoutException.class) != null) {
            return Outcome.retry(retryDelay, "connecting to " + host + " timed out after " + timeoutMillis() + " ms");
        }
        if (find(error, HttpTimeoutException.class) != null) {
            return timedOut();
        }
        if (find(error, IOException.class) != null) {
            return Outcome.retry(retryDelay, "lookup at " + host + " failed: " + rootOf(error).getClass().getSimpleName());
        }
        throw error instanceof CompletionException c ? c : new CompletionException(error);
    }

    Outcome timedOut() {
        return timedOut;
    }

    private Outcome ofBody(byte[] body, SnapshotMeta meta, long payloadBytes, long lookupMillis) {
        return JsonAttributes.parse(body)
                .map(attributes -> Outcome.emit(EnrichedSnapshot.newBuilder()
                        .setMeta(meta)
                        .setPayloadBytes(payloadBytes)
                        .setAttributes(attributes)
                        .setLookupMillis(lookupMillis)
                        .build()))
                .orElseGet(() -> Outcome.fail(BAD_LOOKUP_RESPONSE, "response from " + host + " is not a JSON object"));
    }

    private long timeoutMillis() {
        return requestTimeout.toMillis();
    }

    /** @return the first throwable of the type in the cause chain, or null */
    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static Throwable rootOf(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t.getClass() == IOException.class) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
