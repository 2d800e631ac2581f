package dev.arenaflow.api.subscribe;

import dev.arenaflow.api.SnapshotConverter;
import dev.arenaflow.api.v1.SnapshotEvent;
import dev.arenaflow.api.v1.StartPosition;
import dev.arenaflow.api.v1.SubscribeRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code Subscribe} stream of this instance: admits a subscriber within the limit, resolves
 * its start position, and serves it from the plugin's {@link SnapshotTail}, after a
 * {@link CatchUp} when it starts behind the tail.
 *
 * <p>Threading notes: {@link #subscribe} is called on gRPC's threads; everything it shares is
 * thread-safe.
 */
public final class Subscriptions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);

    /** What subscriptions need to know of the application. */
    public record Settings(Map<String, String> snapshotTopics, int maxSubscribers, int buffer, Duration stall) {
    }

    private final Settings settings;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final Function<String, SnapshotConverter> converters;
    private final Map<String, SnapshotTail> tails = new HashMap<>();
    private final Set<Subscription> open = ConcurrentHashMap.newKeySet();
    private final Map<Subscription, CatchUp> catchingUp = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final ExecutorService drainer;
    private final ExecutorService readers = Executors.newCachedThreadPool(daemon("arenaflow-api-reader"));
    private volatile boolean closed;

    /**
     * @param settings plugins' topics and the bounds
     * @param consumers makes a read_committed consumer without a group, byte-array keys and values
     * @param converters makes a converter of a plugin's snapshots
     */
    public Subscriptions(Settings settings, Supplier<Consumer<byte[], byte[]>> consumers,
                         Function<String, SnapshotConverter> converters) {
        this.settings = settings;
        this.consumers = consumers;
        this.converters = converters;
        this.drainer = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                daemon("arenaflow-api-send"));
    }

    /** @return the streams open now */
    public int active() {
        return count.get();
    }

    /**
     * Starts serving a stream, or ends it at once with the status that says why not.
     *
     * @param request the validated plugin, sources and start
     * @param observer the client's stream
     */
    public void subscribe(SubscribeRequest request, ServerCallStreamObserver<SnapshotEvent> observer) {
        String topic = settings.snapshotTopics().get(request.getPlugin());
        if (closed) {
            throw Status.UNAVAILABLE.withDescription("the server is shutting down").asRuntimeException();
        }
        if (count.incrementAndGet() > settings.maxSubscribers()) {
            count.decrementAndGet();
            throw Status.RESOURCE_EXHAUSTED.withDescription("this instance serves at most "
                    + settings.maxSubscribers() + " subscribers (arenaflow.grpc.max.subscribers); try another "
                    + "instance or later").asRuntimeException();
        }
        try {
            start(request, topic, observer);
        } catch (RuntimeException e) {
            count.decrementAndGet();
            throw e instanceof StatusRuntimeException ? e
                    : Status.UNAVAILABLE.withDescription("could not start reading " + topic + ": " + e.getMessage())
                    .asRuntimeException();
        }
    }

    private void start(SubscribeRequest request, String topic, ServerCallStreamObserver<SnapshotEvent> observer) {
        SnapshotTail tail = tail(request.getPlugin(), topic);
        boolean fromTail = !request.hasResumeToken() && request.getFrom() != StartPosition.EARLIEST;
        // A subscriber that starts behind the tail reads on its own consumer first; the same one finds the beginning.
        Consumer<byte[], byte[]> reader = fromTail ? null : consumers.get();
        try {
            long[] start;
            if (request.hasResumeToken()) {
                start = fromToken(request.getResumeToken(), topic, tail.partitionCount());
            } else if (!fromTail) {
                start = beginning(reader, topic, tail.partitionCount());
            } else {
                start = tail.positions();
            }
            Set<String> sources = new LinkedHashSet<>(request.getSourcesList());
            Subscription subscription = new Subscription(topic, sources, start, settings.buffer(), observer, drainer,
                    s -> finished(s, tail));
            open.add(subscription);
            if (!tail.attach()) {
                subscription.end(Status.UNAVAILABLE.withDescription("the reader of " + topic + " stopped; retry"));
                closeQuietly(reader);
                return;
            }
            LOG.debug("Subscriber of {} from {} ({} sources)", topic, fromTail ? "latest" : "an earlier position",
                    sources.isEmpty() ? "all" : sources.size());
            if (fromTail && tail.tryJoin(subscription)) {
                subscription.signal();
                return;
            }
            CatchUp catchUp;
            try {
                catchUp = new CatchUp(topic, subscription, tail, reader != null ? reader : consumers.get(),
                        converters.apply(request.getPlugin()), partitions(topic, start.length), settings.stall());
            } catch (RuntimeException e) {
                // The subscription holds its slot now: ending it gives the slot back, once.
                closeQuietly(reader);
                subscription.end(Status.UNAVAILABLE.withDescription("could not start reading " + topic + ": "
                        + e.getMessage()));
                return;
            }
            reader = null;
            catchingUp.put(subscription, catchUp);
            subscription.signal();
            readers.execute(() -> {
                try {
                    catchUp.run();
                } finally {
                    catchingUp.remove(subscription);
                }
            });
        } catch (RuntimeException e) {
            closeQuietly(reader);
            throw e;
        }
    }

    private static void closeQuietly(Consumer<byte[], byte[]> consumer) {
        if (consumer != null) {
            consumer.close();
        }
    }

    private void finished(Subscription subscription, SnapshotTail tail) {
        open.remove(subscription);
        CatchUp catchUp = catchingUp.remove(subscription);
        if (catchUp != null) {
            catchUp.stop();
        }
        tail.detach(subscription);
        count.decrementAndGet();
    }

    private SnapshotTail tail(String plugin, String topic) {
        synchronized (tails) {
            SnapshotTail tail = tails.get(plugin);
            if (tail == null || tail.closed()) {
                Consumer<byte[], byte[]> consumer = consumers.get();
                try {
                    tail = new SnapshotTail(plugin, topic, consumer, converters.apply(plugin),
                            partitions(topic, consumer.partitionsFor(topic).size()));
                } catch (RuntimeException e) {
                    consumer.close();
                    throw e;
                }
                tails.put(plugin, tail);
                LOG.info("Reading snapshots of plugin {} from {} ({} partitions) for its subscribers", plugin, topic,
                        tail.partitionCount());
                Thread thread = new Thread(tail, "arenaflow-api-tail-" + plugin);
                thread.setDaemon(true);
                thread.start();
            }
            return tail;
        }
    }

    private static long[] beginning(Consumer<byte[], byte[]> consumer, String topic, int partitionCount) {
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions(topic, partitionCount));
        long[] start = new long[partitionCount];
        beginning.forEach((tp, offset) -> start[tp.partition()] = offset);
        return start;
    }

    /** A token of fewer partitions than the topic has now starts the new ones at their beginning. */
    private static long[] fromToken(String token, String topic, int partitionCount) {
        long[] offsets;
        try {
            offsets = ResumeToken.decode(token, topic);
        } catch (IllegalArgumentException e) {
            throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
        }
        if (offsets.length > partitionCount) {
            throw Status.INVALID_ARGUMENT.withDescription("the resume token names " + offsets.length
                    + " partitions of " + topic + ", which has " + partitionCount).asRuntimeException();
        }
        return Arrays.copyOf(offsets, partitionCount);
    }

    private static List<TopicPartition> partitions(String topic, int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    /**
     * Ends every stream with {@code UNAVAILABLE} and its token, so clients resume on another
     * instance, then stops the readers.
     */
    @Override
    public void close() {
        closed = true;
        Status shutdown = Status.UNAVAILABLE.withDescription("the server is shutting down");
        open.forEach(s -> s.end(shutdown));
        synchronized (tails) {
            tails.values().forEach(SnapshotTail::close);
        }
        readers.shutdown();
        drainer.shutdown();
        try {
            drainer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
