package dev.arenaflow.api.subscribe;

import dev.arenaflow.api.v1.Snapshot;
import dev.arenaflow.api.v1.SnapshotEvent;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One client's stream: a bounded buffer of events between the thread that reads the topic and
 * the client, sent only while gRPC says the client can take more ({@code isReady}), so a slow
 * client costs at most its buffer. Ends once, with a status whose trailer
 * {@value #TOKEN_TRAILER} holds the token of the last event the client was sent.
 *
 * <p>Threading notes: events are offered by one reading thread at a time (its catch-up thread,
 * then its tail's thread under the tail's lock); {@link #positions} belongs to that thread.
 * Sending runs on the drain executor, one drain at a time per subscription, guarded by
 * {@code wip}; {@link #end} may be called from any thread.
 */
final class Subscription {

    /** Name of the trailer that carries the token to resume from when a stream ends. */
    static final String TOKEN_TRAILER = "arenaflow-resume-token";
    static final Metadata.Key<String> TOKEN_KEY = Metadata.Key.of(TOKEN_TRAILER, Metadata.ASCII_STRING_MARSHALLER);

    /** One event to send: a snapshot and the token after it, or only a token (the start). */
    record Event(Snapshot snapshot, String token) {
        SnapshotEvent proto() {
            SnapshotEvent.Builder event = SnapshotEvent.newBuilder().setResumeToken(token);
            if (snapshot != null) {
                event.setSnapshot(snapshot);
            }
            return event.build();
        }
    }

    private final String topic;
    private final Set<String> sources;
    final long[] positions;
    private final int capacity;
    private final BlockingQueue<Event> buffer;
    private final ServerCallStreamObserver<SnapshotEvent> observer;
    private final Executor drainer;
    private final java.util.function.Consumer<Subscription> release;
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final Object room = new Object();
    private volatile Status ending;
    private volatile long lastTakenNanos = System.nanoTime();
    private String lastSentToken;
    private boolean terminated;

    /**
     * @param topic the snapshot topic
     * @param sources the sources wanted; empty for all
     * @param start per partition, the next offset to read
     * @param capacity events buffered at most
     * @param observer the client's stream
     * @param drainer runs the sending
     * @param release called once with this subscription when its stream has ended, to give its slot back
     */
    Subscription(String topic, Set<String> sources, long[] start, int capacity,
                 ServerCallStreamObserver<SnapshotEvent> observer, Executor drainer,
                 java.util.function.Consumer<Subscription> release) {
        this.topic = topic;
        this.sources = sources;
        this.positions = start.clone();
        this.capacity = capacity;
        // One more place for the start event.
        this.buffer = new ArrayBlockingQueue<>(capacity + 1);
        this.observer = observer;
        this.drainer = drainer;
        this.release = release;
        this.lastSentToken = ResumeToken.encode(topic, positions);
        buffer.add(new Event(null, lastSentToken));
        observer.setOnReadyHandler(this::signal);
        observer.setOnCancelHandler(() -> end(Status.CANCELLED.withDescription("cancelled by the client")));
    }

    boolean wants(String source) {
        return sources.isEmpty() || sources.contains(source);
    }

    boolean ended() {
        return ending != null;
    }

    /** The current position as a token. */
    String token() {
        return ResumeToken.encode(topic, positions);
    }

    /**
     * A record read by the tail, under its lock. A record this subscription already had from its
     * catch-up is skipped; a subscription whose buffer is full is ended, since the tail serves
     * every subscriber and cannot wait for one.
     *
     * @param hubPositions the tail's positions, already past this record
     * @param hubToken the token of those positions, made at most once per record
     */
    void offerLive(int partition, long offset, String source, Supplier<Snapshot> snapshot, long[] hubPositions,
                   Supplier<String> hubToken) {
        if (offset < positions[partition] || ending != null) {
            return;
        }
        positions[partition] = offset + 1;
        if (!wants(source)) {
            return;
        }
        String token = java.util.Arrays.equals(positions, hubPositions) ? hubToken.get() : token();
        if (!buffer.offer(new Event(snapshot.get(), token))) {
            end(Status.RESOURCE_EXHAUSTED.withDescription("the subscriber fell behind: its buffer of "
                    + capacity + " snapshots is full"));
            return;
        }
        signal();
    }

    /** After a tail's batch: its positions include skipped transaction markers. */
    void advance(long[] hubPositions) {
        for (int p = 0; p < positions.length; p++) {
            positions[p] = Math.max(positions[p], hubPositions[p]);
        }
    }

    /**
     * A record read by this subscription's catch-up: waits for room in the buffer, but ends the
     * stream if the client has taken nothing for {@code stallNanos}.
     *
     * @return false if the stream has ended
     */
    boolean offerCatchUp(Event event, long stallNanos) throws InterruptedException {
        while (!buffer.offer(event)) {
            if (ending != null) {
                return false;
            }
            if (System.nanoTime() - lastTakenNanos > stallNanos) {
                end(Status.RESOURCE_EXHAUSTED.withDescription("the subscriber took no snapshot for "
                        + stallNanos / 1_000_000 + " ms while its buffer was full"));
                return false;
            }
            synchronized (room) {
                room.wait(50);
            }
        }
        signal();
        return ending == null;
    }

    /** Ends the stream with this status, once; later calls are ignored. */
    void end(Status status) {
        synchronized (this) {
            if (ending == null) {
                ending = status;
            }
        }
        signal();
    }

    void signal() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                drainer.execute(() -> {
                    scheduled.set(false);
                    drain();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The server has shut down; every stream was ended before that.
            }
        }
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        do {
            if (!terminated) {
                send();
            }
        } while (wip.decrementAndGet() != 0);
    }

    private void send() {
        boolean took = false;
        while (ending == null && observer.isReady()) {
            Event event = buffer.poll();
            if (event == null) {
                break;
            }
            observer.onNext(event.proto());
            lastSentToken = event.token();
            took = true;
        }
        if (took) {
            lastTakenNanos = System.nanoTime();
            synchronized (room) {
                room.notifyAll();
            }
        }
        Status status = ending;
        if (status != null) {
            terminated = true;
            buffer.clear();
            if (!observer.isCancelled() && status.getCode() != Status.Code.CANCELLED) {
                Metadata trailers = new Metadata();
                trailers.put(TOKEN_KEY, lastSentToken);
                observer.onError(status.augmentDescription("resume with the token in trailer " + TOKEN_TRAILER)
                        .asRuntimeException(trailers));
            }
            if (released.compareAndSet(false, true)) {
                release.accept(this);
            }
            synchronized (room) {
                room.notifyAll();
            }
        }
    }
}
