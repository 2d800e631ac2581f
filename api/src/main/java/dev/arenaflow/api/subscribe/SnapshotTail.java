package dev.arenaflow.api.subscribe;

import dev.arenaflow.api.SnapshotConverter;
import dev.arenaflow.api.v1.Snapshot;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reader of a plugin's snapshot topic that serves every live subscriber of this instance:
 * it reads each committed snapshot once, converts it at most once, and offers it to each
 * subscriber's buffer, so a hundred subscribers cost one consumer and one conversion per record.
 * A subscriber starting from an earlier position reads on its own ({@link CatchUp}) until it has
 * caught up with the tail, then joins it.
 *
 * <p>Threading notes: runs on its own thread; {@link #attach}, {@link #tryJoin} and
 * {@link #detach} may be called from any thread and synchronize on the tail's lock, under which
 * records are also delivered, so a joining subscriber sees either all of a record's delivery or
 * none of it.
 */
final class SnapshotTail implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotTail.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** A tail nobody has used for this long closes its consumer; the next subscriber starts another. */
    static final Duration IDLE = Duration.ofSeconds(30);

    private final String plugin;
    private final String topic;
    private final Consumer<byte[], byte[]> consumer;
    private final SnapshotConverter converter;
    private final List<TopicPartition> partitions;
    private final Object lock = new Object();
    private final long[] positions;
    private final List<Subscription> live = new ArrayList<>();
    private int attached;
    private long idleSince = System.nanoTime();
    private volatile boolean closed;

    /**
     * @param consumer a read_committed consumer without a group; the tail takes it over and
     *                 assigns it every partition at the topic's end
     */
    SnapshotTail(String plugin, String topic, Consumer<byte[], byte[]> consumer, SnapshotConverter converter,
                 List<TopicPartition> partitions) {
        this.plugin = plugin;
        this.topic = topic;
        this.consumer = consumer;
        this.converter = converter;
        this.partitions = partitions;
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        this.positions = new long[partitions.size()];
        for (TopicPartition tp : partitions) {
            positions[tp.partition()] = consumer.position(tp);
        }
    }

    int partitionCount() {
        return positions.length;
    }

    /** @return false if the tail has closed: use another */
    boolean attach() {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            attached++;
            return true;
        }
    }

    void detach(Subscription subscription) {
        synchronized (lock) {
            attached--;
            live.remove(subscription);
            if (attached == 0) {
                idleSince = System.nanoTime();
            }
        }
    }

    /**
     * Joins a subscription to the tail if it has read at least as far as the tail in every
     * partition (the tail then delivers everything after; what the subscription already had is
     * skipped). A subscription that starts at the latest position joins at once.
     *
     * @return true if it joined
     * @throws IllegalStateException if the tail has closed
     */
    boolean tryJoin(Subscription subscription) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the reader of " + topic + " stopped");
            }
            for (int p = 0; p < positions.length; p++) {
                if (subscription.positions[p] < positions[p]) {
                    return false;
                }
            }
            live.add(subscription);
            return true;
        }
    }

    /** @return the tail's current position, for a subscription starting at the latest */
    long[] positions() {
        synchronized (lock) {
            return positions.clone();
        }
    }

    @Override
    public void run() {
        try {
            while (!closed) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                for (TopicPartition tp : records.partitions()) {
                    for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                        deliver(record);
                    }
                }
                long[] after = new long[positions.length];
                for (TopicPartition tp : partitions) {
                    after[tp.partition()] = consumer.position(tp);
                }
                synchronized (lock) {
                    for (int p = 0; p < after.length; p++) {
                        positions[p] = Math.max(positions[p], after[p]);
                    }
                    live.forEach(s -> s.advance(positions));
                    if (attached == 0 && System.nanoTime() - idleSince > IDLE.toNanos()) {
                        LOG.info("No subscriber of plugin {} for {} s; closing its snapshot reader", plugin,
                                IDLE.toSeconds());
                        closed = true;
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked for it.
        } catch (RuntimeException e) {
            LOG.warn("Reading snapshots of plugin {} from {} failed; ending its subscribers' streams: {}", plugin,
                    topic, e.toString());
            endAll(Status.UNAVAILABLE.withDescription("reading " + topic + " failed: " + e.getMessage()));
        } finally {
            synchronized (lock) {
                closed = true;
            }
            consumer.close();
            converter.close();
        }
    }

    private void deliver(ConsumerRecord<byte[], byte[]> record) {
        String source = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        Supplier<Snapshot> snapshot = memo(() -> converter.convert(record));
        synchronized (lock) {
            positions[record.partition()] = record.offset() + 1;
            Supplier<String> token = memo(() -> ResumeToken.encode(topic, positions));
            for (int i = 0; i < live.size(); i++) {
                live.get(i).offerLive(record.partition(), record.offset(), source, snapshot, positions, token);
            }
        }
    }

    /** Ends every live subscriber's stream, e.g. at shutdown; each gets its own token. */
    void endAll(Status status) {
        synchronized (lock) {
            live.forEach(s -> s.end(status));
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
    }

    boolean closed() {
        return closed;
    }

    private static <T> Supplier<T> memo(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
