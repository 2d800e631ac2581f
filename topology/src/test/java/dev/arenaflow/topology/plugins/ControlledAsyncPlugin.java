package dev.arenaflow.topology.plugins;

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.PluginContext;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.schemas.SnapshotMeta;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An async plugin whose outcomes the test decides: each dispatch leaves a future, named
 * {@code source:sequence#attempt}, that the test completes. Payload byte 1 asks for a retry
 * with a delay of 500 ms instead, and byte 2 for a deferral until {@link #DEFER_MS} after the
 * record's event time, the first time the message is seen.
 */
public final class ControlledAsyncPlugin implements Plugin {

    public static final int TYPE = 11;
    public static final byte RETRY = 1;
    public static final byte DEFER = 2;
    /** Payload byte 0: a timed-out attempt gets a fallback snapshot whose count is {@link #FALLBACK_COUNT}. */
    public static final byte FALLBACK_ON_TIMEOUT = 3;
    /** Payload byte 0: onTimeout throws. */
    public static final byte THROW_ON_TIMEOUT = 4;
    public static final long FALLBACK_COUNT = 42;

    /** Every dispatch and release, in the order they happened, across threads. */
    public static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());
    private static final Map<String, Pending> PENDING = new ConcurrentHashMap<>();
    private static final Set<String> DEFERRED = ConcurrentHashMap.newKeySet();
    /** A deferred message is due this long after its event time. */
    public static final long DEFER_MS = 10_000;

    private record Pending(CompletableFuture<Outcome> future, SnapshotMeta meta) {
    }

    public static void reset() {
        EVENTS.clear();
        PENDING.clear();
        DEFERRED.clear();
    }

    /** Completes a dispatch with a snapshot. */
    public static void emit(String dispatch) {
        Pending p = take(dispatch);
        EVENTS.add("release " + dispatch);
        p.future().complete(Outcome.emit(TypedPlugin.snapshot(p.meta())));
    }

    /** Completes a dispatch exceptionally. */
    public static void explode(String dispatch) {
        take(dispatch).future().completeExceptionally(new IllegalStateException("remote call failed for " + dispatch));
    }

    public static Set<String> pending() {
        return Set.copyOf(PENDING.keySet());
    }

    private static Pending take(String dispatch) {
        Pending p = PENDING.remove(dispatch);
        if (p == null) {
            throw new AssertionError("no pending dispatch " + dispatch + "; pending: " + PENDING.keySet());
        }
        return p;
    }

    @Override
    public String name() {
        return "async";
    }

    @Override
    public Set<Integer> acceptedTypes() {
        return Set.of(TYPE);
    }

    @Override
    public void open(PluginContext context) {
    }

    @Override
    public Outcome onTimeout(RawRecordView view, MessageContext message) {
        byte command = view.payloadLength() > 0 ? view.payloadByte(0) : 0;
        EVENTS.add("timeout " + view.sourceAsString() + ":" + view.sequence() + "#" + message.attempt());
        if (command == FALLBACK_ON_TIMEOUT) {
            return Outcome.emit(TypedPlugin.snapshot(message, FALLBACK_COUNT));
        }
        if (command == THROW_ON_TIMEOUT) {
            throw new IllegalStateException("no verdict");
        }
        return null;
    }

    @Override
    public Outcome handle(RawRecordView view, MessageContext message) {
        String dispatch = view.sourceAsString() + ":" + view.sequence() + "#" + message.attempt();
        EVENTS.add("dispatch " + dispatch);
        if (view.payloadLength() > 0 && view.payloadByte(0) == RETRY && message.attempt() == 1) {
            return Outcome.retry(Duration.ofMillis(500), "asked to retry");
        }
        if (view.payloadLength() > 0 && view.payloadByte(0) == DEFER && !DEFERRED.contains(dispatch)) {
            DEFERRED.add(dispatch);
            return Outcome.defer(Instant.ofEpochMilli(view.eventTime() + DEFER_MS));
        }
        CompletableFuture<Outcome> future = new CompletableFuture<>();
        PENDING.put(dispatch, new Pending(future, message.newMeta()));
        return Outcome.later(future);
    }
}
