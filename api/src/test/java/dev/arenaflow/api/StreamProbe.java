package dev.arenaflow.api;

import dev.arenaflow.api.v1.SnapshotEvent;
import dev.arenaflow.api.v1.SnapshotServiceGrpc;
import dev.arenaflow.api.v1.SubscribeRequest;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test's {@code Subscribe} client: collects events as they come, or takes only as many as it
 * was told to (a client that stops reading), and records how the stream ended.
 */
final class StreamProbe implements ClientResponseObserver<SubscribeRequest, SnapshotEvent> {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** How the stream ended: its status and the resume token in its trailers, if any. */
    record End(Status status, String token) {
    }

    private final BlockingQueue<SnapshotEvent> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<End> end = new CompletableFuture<>();
    private final int initialRequests;
    private ClientCallStreamObserver<SubscribeRequest> call;

    private StreamProbe(int initialRequests) {
        this.initialRequests = initialRequests;
    }

    /** A client that reads everything. */
    static StreamProbe open(Channel channel, SubscribeRequest request) {
        return open(channel, request, -1);
    }

    /** A client that takes {@code requests} events and then stops reading; -1 reads everything. */
    static StreamProbe open(Channel channel, SubscribeRequest request, int requests) {
        StreamProbe probe = new StreamProbe(requests);
        SnapshotServiceGrpc.newStub(channel).subscribe(request, probe);
        return probe;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SubscribeRequest> requestStream) {
        this.call = requestStream;
        if (initialRequests >= 0) {
            requestStream.disableAutoRequestWithInitial(initialRequests);
        }
    }

    @Override
    public void onNext(SnapshotEvent event) {
        events.add(event);
    }

    @Override
    public void onError(Throwable t) {
        Status status = Status.fromThrowable(t);
        Metadata trailers = Status.trailersFromThrowable(t);
        end.complete(new End(status, trailers == null ? null
                : trailers.get(Metadata.Key.of("arenaflow-resume-token", Metadata.ASCII_STRING_MARSHALLER))));
    }

    @Override
    public void onCompleted() {
        end.complete(new End(Status.OK, null));
    }

    /** @return the next event, failing after ten seconds */
    SnapshotEvent next() throws InterruptedException {
        SnapshotEvent event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no event within " + WAIT + (end.isDone() ? "; the stream ended: " + end.join() : ""));
        }
        return event;
    }

    /** @return the next {@code n} events */
    List<SnapshotEvent> next(int n) throws InterruptedException {
        List<SnapshotEvent> taken = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            taken.add(next());
        }
        return taken;
    }

    /** @return events received and not taken yet */
    List<SnapshotEvent> drained() {
        List<SnapshotEvent> rest = new ArrayList<>();
        events.drainTo(rest);
        return rest;
    }

    /** @return how the stream ended, failing after ten seconds */
    End end() throws Exception {
        return end.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean ended() {
        return end.isDone();
    }

    void cancel() {
        call.cancel("test cancels", null);
    }
}
