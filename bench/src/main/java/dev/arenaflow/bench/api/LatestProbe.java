package dev.arenaflow.bench.api;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import dev.arenaflow.api.v1.GetLatestRequest;
import dev.arenaflow.api.v1.Snapshot;
import dev.arenaflow.api.v1.SnapshotServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * GetLatest against one instance, on one channel, for a fixed set of sources whose last snapshot
 * on the topic is known (read by the plain consumer while no input flows): every answer is
 * checked against it, and a wrong one fails the section. An answer of UNAVAILABLE is counted,
 * left out of the timings, and reported.
 */
final class LatestProbe implements AutoCloseable {

    private static final long DEADLINE_MS = 10_000;

    private final ManagedChannel channel;
    private final String plugin;
    private final Map<String, ConsumerRecord<byte[], byte[]>> expected;
    private final AtomicLong unavailable = new AtomicLong();

    LatestProbe(String host, int port, String plugin, Map<String, ConsumerRecord<byte[], byte[]>> expected) {
        this.channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
        this.plugin = plugin;
        this.expected = expected;
    }

    /** @return each call's duration, one request at a time, cycling through the sources */
    long[] latencies(List<String> sources, int count) {
        SnapshotServiceGrpc.SnapshotServiceBlockingStub stub = SnapshotServiceGrpc.newBlockingStub(channel);
        long[] nanos = new long[count];
        int ok = 0;
        for (int i = 0; i < count; i++) {
            String source = sources.get(i % sources.size());
            long t0 = System.nanoTime();
            try {
                Snapshot answer = stub.withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                        .getLatest(request(source));
                nanos[ok++] = System.nanoTime() - t0;
                verify(source, answer);
            } catch (StatusRuntimeException e) {
                countOrThrow(source, e);
            }
        }
        return java.util.Arrays.copyOf(nanos, ok);
    }

    /** @return the durations of the standard health check on the same channel: a bare round trip */
    long[] healthLatencies(int count) {
        HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(channel);
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            stub.withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS).check(HealthCheckRequest.getDefaultInstance());
            nanos[i] = System.nanoTime() - t0;
        }
        return nanos;
    }

    /**
     * @param inFlight requests outstanding at once
     * @return answers per second over {@code count} requests
     */
    double throughput(List<String> sources, int count, int inFlight) throws InterruptedException {
        SnapshotServiceGrpc.SnapshotServiceFutureStub stub = SnapshotServiceGrpc.newFutureStub(channel);
        Semaphore slots = new Semaphore(inFlight);
        AtomicLong answered = new AtomicLong();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < count && failed.get() == null; i++) {
            String source = sources.get(i % sources.size());
            slots.acquire();
            Futures.addCallback(stub.withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS).getLatest(request(source)),
                    new FutureCallback<>() {
                        @Override
                        public void onSuccess(Snapshot answer) {
                            try {
                                verify(source, answer);
                                answered.incrementAndGet();
                            } catch (RuntimeException e) {
                                failed.compareAndSet(null, e);
                            }
                            slots.release();
                        }

                        @Override
                        public void onFailure(Throwable t) {
                            try {
                                countOrThrow(source, Status.fromThrowable(t).asRuntimeException());
                            } catch (RuntimeException e) {
                                failed.compareAndSet(null, e);
                            }
                            slots.release();
                        }
                    }, MoreExecutors.directExecutor());
        }
        slots.acquire(inFlight);
        long elapsed = System.nanoTime() - t0;
        slots.release(inFlight);
        if (failed.get() != null) {
            throw new IllegalStateException("GetLatest throughput run failed", failed.get());
        }
        return answered.get() * 1e9 / elapsed;
    }

    /** @return answers of UNAVAILABLE so far */
    long unavailable() {
        return unavailable.get();
    }

    private GetLatestRequest request(String source) {
        return GetLatestRequest.newBuilder().setPlugin(plugin).setSource(source).build();
    }

    private void verify(String source, Snapshot answer) {
        ConsumerRecord<byte[], byte[]> last = expected.get(source);
        if (answer.getPartition() != last.partition() || answer.getOffset() != last.offset()
                || !answer.getSource().equals(source)
                || !java.util.Arrays.equals(answer.getAvro().toByteArray(), last.value())) {
            throw new IllegalStateException("GetLatest(" + source + ") answered the snapshot at "
                    + answer.getPartition() + "@" + answer.getOffset() + " of " + answer.getSource()
                    + "; the topic's last is " + last.partition() + "@" + last.offset());
        }
    }

    private void countOrThrow(String source, StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
            throw new IllegalStateException("GetLatest(" + source + "): " + e.getStatus(), e);
        }
        unavailable.incrementAndGet();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdown();
        if (!channel.awaitTermination(10, TimeUnit.SECONDS)) {
            channel.shutdownNow();
        }
    }
}
