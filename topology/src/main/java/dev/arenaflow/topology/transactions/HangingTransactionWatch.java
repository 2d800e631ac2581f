package dev.arenaflow.topology.transactions;

import dev.arenaflow.topology.transactions.HangingTransactions.Hanging;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks, every so often, for transactions left open on the partitions this application writes
 * ({@link HangingTransactions}), and reports them: a warning per transaction with the command that
 * aborts it, a line when it is gone, and the gauge {@value #HANGING_METER}. It does not abort them
 * itself: whether the transaction's coordinator had decided to commit or to abort is not visible
 * from outside, and an abort of a committed one would discard committed records.
 *
 * <p>Threading notes: checks run on one daemon thread of its own; {@link #checkNow} may also be
 * called from any thread, and {@link #current} read from any thread.
 */
public final class HangingTransactionWatch implements AutoCloseable {

    /** Gauge: transactions open on this application's partitions for longer than the setting allows. */
    public static final String HANGING_METER = "arenaflow.transactions.hanging";

    private static final Logger LOG = LoggerFactory.getLogger(HangingTransactionWatch.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration LONGEST_INTERVAL = Duration.ofMinutes(1);
    private static final Duration SHORTEST_INTERVAL = Duration.ofSeconds(1);

    private final Admin admin;
    private final Predicate<String> watched;
    private final long hangingAfterMillis;
    private final LongSupplier clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "arenaflow-hanging-transactions");
        thread.setDaemon(true);
        return thread;
    });
    private volatile List<Hanging> current = List.of();
    private boolean failing;

    /**
     * @param admin the admin client to ask with; closed by {@link #close}
     * @param watched which topics to look at
     * @param hangingAfterMillis how long an open transaction may go without a write before it counts as hanging
     * @param clock epoch milliseconds
     */
    public HangingTransactionWatch(Admin admin, Predicate<String> watched, long hangingAfterMillis,
                                   LongSupplier clock) {
        if (hangingAfterMillis <= 0) {
            throw new IllegalArgumentException("hangingAfterMillis must be positive but was " + hangingAfterMillis);
        }
        this.admin = admin;
        this.watched = watched;
        this.hangingAfterMillis = hangingAfterMillis;
        this.clock = clock;
    }

    /** Registers {@value #HANGING_METER} in {@code meters}. */
    public void bindMeters(MeterRegistry meters) {
        Gauge.builder(HANGING_METER, this, watch -> watch.current.size())
                .description("Transactions left open on partitions this application writes, longer than "
                        + "arenaflow.transactions.hanging.after.ms without a write")
                .register(meters);
    }

    /**
     * Checks now and then every fifth of the threshold, at least every second and at most every
     * minute, until closed.
     */
    public void start() {
        long interval = Math.max(SHORTEST_INTERVAL.toMillis(), Math.min(LONGEST_INTERVAL.toMillis(),
                hangingAfterMillis / 5));
        timer.scheduleWithFixedDelay(this::checkQuietly, 0, interval, TimeUnit.MILLISECONDS);
    }

    /** @return the hanging transactions the last check found */
    public List<Hanging> current() {
        return current;
    }

    /**
     * Looks once, reports what changed since the last look, and returns what it found.
     *
     * @throws ExecutionException if the brokers could not say
     * @throws TimeoutException if they did not say within 30 s
     */
    public synchronized List<Hanging> checkNow() throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, List<ProducerState>> producers = producersOfWatchedPartitions();
        List<Hanging> found = HangingTransactions.find(producers, clock.getAsLong(), hangingAfterMillis);
        report(current, found);
        current = List.copyOf(found);
        return current;
    }

    private Map<TopicPartition, List<ProducerState>> producersOfWatchedPartitions()
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> topics = admin.listTopics().names().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream()
                .filter(watched).collect(Collectors.toSet());
        if (topics.isEmpty()) {
            return Map.of();
        }
        Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames()
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        List<TopicPartition> partitions = new ArrayList<>();
        descriptions.values().forEach(description -> description.partitions().forEach(
                p -> partitions.add(new TopicPartition(description.name(), p.partition()))));
        return admin.describeProducers(partitions).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().activeProducers()));
    }

    private void report(List<Hanging> before, List<Hanging> now) {
        for (Hanging hanging : now) {
            if (find(before, hanging).isEmpty()) {
                LOG.warn("A transaction of producer {} (epoch {}) has been open on {} since offset {} with no write "
                        + "for {} s, longer than arenaflow.transactions.hanging.after.ms allows: read_committed "
                        + "readers of that partition, and state restores from it, stop there until it ends. Kafka "
                        + "leaves one behind when its coordinator completes a transaction while the partition has "
                        + "no leader, or after an unclean leader election. If its records must not count, abort "
                        + "it: {}",
                        hanging.producerId(), hanging.producerEpoch(), hanging.partition(), hanging.startOffset(),
                        (clock.getAsLong() - hanging.lastWriteMillis()) / 1000, hanging.abortCommand());
            }
        }
        for (Hanging gone : before) {
            if (find(now, gone).isEmpty()) {
                LOG.info("The transaction of producer {} open on {} since offset {} has ended", gone.producerId(),
                        gone.partition(), gone.startOffset());
            }
        }
    }

    private static Optional<Hanging> find(List<Hanging> list, Hanging wanted) {
        return list.stream().filter(h -> h.partition().equals(wanted.partition())
                && h.producerId() == wanted.producerId() && h.startOffset() == wanted.startOffset()).findFirst();
    }

    private void checkQuietly() {
        try {
            checkNow();
            if (failing) {
                failing = false;
                LOG.info("Hanging-transaction checks answer again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // A broker outage makes every check fail; one line per streak of failures is enough.
            if (!failing) {
                failing = true;
                LOG.warn("Could not check for hanging transactions ({}); trying again", String.valueOf(e.getCause() == null
                        ? e : e.getCause()));
            }
        }
    }

    /** Stops the checks and closes the admin client. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
