package dev.arenaflow.bench.api;

import dev.arenaflow.api.v1.SnapshotEvent;
import dev.arenaflow.api.v1.SnapshotServiceGrpc;
import dev.arenaflow.api.v1.StartPosition;
import dev.arenaflow.api.v1.SubscribeRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code n} gRPC clients in the bench JVM, each on its own channel (its own connection, as
 * separate client programs would be), each subscribed to every snapshot of a plugin from the
 * latest or the earliest position. Arrivals are stamped on gRPC's transport thread (direct executor), before any
 * other work, so the stamp is when the event reached the client.
 */
final class Subscribers implements AutoCloseable {

    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<ClientCallStreamObserver<SubscribeRequest>> calls = new ArrayList<>();
    private final List<Arrivals> arrivals = new ArrayList<>();
    private final CountDownLatch started;
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean closing;

    /**
     * Subscribes {@code n} clients and waits until each has its first event, the one confirming
     * its start position: everything committed after that reaches it.
     */
    Subscribers(String host, int port, String plugin, int n, StartPosition from, Duration timeout)
            throws InterruptedException {
        started = new CountDownLatch(n);
        SubscribeRequest request = SubscribeRequest.newBuilder().setPlugin(plugin).setFrom(from).build();
        for (int i = 0; i < n; i++) {
            ManagedChannel channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().directExecutor()
                    .build();
            channels.add(channel);
            Arrivals received = new Arrivals("subscriber " + (i + 1) + " of " + n);
            arrivals.add(received);
            SnapshotServiceGrpc.newStub(channel).subscribe(request, observer(received));
        }
        if (!started.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException((n - started.getCount()) + " of " + n
                    + " subscribers had their first event within " + timeout + check());
        }
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get());
        }
    }

    private ClientResponseObserver<SubscribeRequest, SnapshotEvent> observer(Arrivals received) {
        return new ClientResponseObserver<>() {
            private boolean first = true;

            @Override
            public void beforeStart(ClientCallStreamObserver<SubscribeRequest> call) {
                synchronized (calls) {
                    calls.add(call);
                }
            }

            @Override
            public void onNext(SnapshotEvent event) {
                long nanos = System.nanoTime();
                if (event.hasSnapshot()) {
                    received.add(event.getSnapshot().getPartition(), event.getSnapshot().getOffset(),
                            event.getSnapshot().getMeta().getSequence(), nanos);
                } else if (first) {
                    started.countDown();
                } else {
                    failure.compareAndSet(null, received.reader() + ": an event without a snapshot after the first");
                }
                first = false;
            }

            @Override
            public void onError(Throwable t) {
                if (!closing) {
                    failure.compareAndSet(null, received.reader() + " ended: " + Status.fromThrowable(t));
                }
            }

            @Override
            public void onCompleted() {
                if (!closing) {
                    failure.compareAndSet(null, received.reader() + ": the server completed the stream");
                }
            }
        };
    }

    List<Arrivals> arrivals() {
        return arrivals;
    }

    /** @return the first stream that ended or misbehaved, as text, or an empty string */
    String check() {
        return failure.get() == null ? "" : "; " + failure.get();
    }

    /** @throws IllegalStateException if a stream ended or misbehaved */
    void assertHealthy() {
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get());
        }
    }

    /** Cancels every stream (the server then frees its slot) and closes the channels. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        synchronized (calls) {
            calls.forEach(c -> c.cancel("the bench phase is over", null));
        }
        channels.forEach(ManagedChannel::shutdown);
        for (ManagedChannel channel : channels) {
            if (!channel.awaitTermination(10, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        }
    }
}
