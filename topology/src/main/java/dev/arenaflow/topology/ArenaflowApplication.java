package dev.arenaflow.topology;

import dev.arenaflow.topology.why.PendingMessages;
import dev.arenaflow.topology.registry.PatientSerializer;
import dev.arenaflow.topology.registry.RegistryAddress;
import dev.arenaflow.topology.registry.RegistryReachability;
import dev.arenaflow.topology.transactions.HangingTransactionWatch;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One arenaflow instance: prepares its topics, runs its topology in Kafka Streams, and closes it.
 *
 * <p>Threading notes: {@link #start} and {@link #close} may be called from any thread, e.g. close
 * from a shutdown hook; {@link #awaitTermination} blocks the caller until the instance stops.
 */
public final class ArenaflowApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ArenaflowApplication.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final ArenaflowSettings settings;
    private final KafkaStreams streams;
    private final MeterRegistry meters;
    private final RegistryReachability registry;
    private final PatientSerializer<SpecificRecord> snapshotSerializer;
    private final DeadLetterLimit deadLetterLimit;
    private final PendingMessages pending;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<KafkaStreams.StateListener> stateListeners = new CopyOnWriteArrayList<>();
    private final StreamThreadFailures threadFailures = new StreamThreadFailures(System::nanoTime);
    private volatile HangingTransactionWatch hangingTransactions;
    private volatile boolean failed;
    private volatile boolean closing;

    private ArenaflowApplication(ArenaflowSettings settings, KafkaStreams streams, MeterRegistry meters,
                                 RegistryReachability registry, PatientSerializer<SpecificRecord> snapshotSerializer,
                                 DeadLetterLimit deadLetterLimit, PendingMessages pending) {
        this.settings = settings;
        this.pending = pending;
        this.streams = streams;
        this.meters = meters;
        this.registry = registry;
        this.snapshotSerializer = snapshotSerializer;
        this.deadLetterLimit = deadLetterLimit;
    }

    /**
     * @param settings the validated settings
     * @param snapshotSerializer serializer of snapshots, normally {@link SnapshotSerdes#serializer}
     * @return an instance, not started, with its plugin meters in a registry of its own
     */
    public static ArenaflowApplication create(ArenaflowSettings settings, Serializer<SpecificRecord> snapshotSerializer) {
        return create(settings, snapshotSerializer, new SimpleMeterRegistry());
    }

    /**
     * @param settings the validated settings
     * @param snapshotSerializer serializer of snapshots, normally {@link SnapshotSerdes#serializer}
     * @param meters where the plugins' meters go ({@link PluginMeterNames}); not closed here
     * @return an instance, not started
     */
    public static ArenaflowApplication create(ArenaflowSettings settings, Serializer<SpecificRecord> snapshotSerializer,
                                              MeterRegistry meters) {
        RegistryReachability registry = new RegistryReachability(
                RegistryAddress.shown(settings.config().getString(ArenaflowConfig.REGISTRY_URL)), System::currentTimeMillis);
        PatientSerializer<SpecificRecord> patient = new PatientSerializer<>(snapshotSerializer, registry);
        Properties streamsProperties = ArenaflowTopology.streamsProperties(settings.properties());
        DeadLetterLimit deadLetterLimit = ArenaflowTopology.deadLetterLimit(streamsProperties);
        Topology topology = ArenaflowTopology.build(settings.config(), settings.plugins(), patient, meters,
                deadLetterLimit);
        // The decode dead-letter handler is made by Kafka Streams from its class name; it finds the limit here.
        streamsProperties.put(DeadLetterLimit.PROPERTY, deadLetterLimit);
        // Each task registers its plugins here, so that "why is this source not done?" reaches them.
        PendingMessages pending = new PendingMessages();
        streamsProperties.put(PendingMessages.PROPERTY, pending);
        KafkaStreams streams = new KafkaStreams(topology, streamsProperties);
        registry.bindMeters(meters);
        return new ArenaflowApplication(settings, streams, meters, registry, patient, deadLetterLimit, pending);
    }

    /** @return where this instance's tasks answer "why is this source not done?" */
    public PendingMessages pendingMessages() {
        return pending;
    }

    /**
     * @param listener told of every state change of Kafka Streams, on the thread that changes it;
     *                 add before {@link #start}
     */
    public void onStateChange(KafkaStreams.StateListener listener) {
        stateListeners.add(listener);
    }

    /**
     * Waits for the broker and the registry, prepares the topics and starts processing.
     *
     * @throws DependencyUnavailableException if the broker or the registry does not answer within
     *         {@link ArenaflowConfig#STARTUP_WAIT_MS}
     */
    public void start() throws InterruptedException {
        StartupProbe.awaitDependencies(settings);
        Properties admin = settings.properties();
        try (Admin client = Admin.create(admin)) {
            TopicPreparer.prepare(client, settings, deadLetterLimit);
        }
        streams.setUncaughtExceptionHandler(e -> {
            if (closing) {
                LOG.warn("A stream thread ended while closing: {}", e.toString());
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse response = threadFailures.onFailure(e);
            if (response == StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT) {
                failed = true;
            }
            return response;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("Kafka Streams state {} -> {}", before, now);
            stateListeners.forEach(l -> l.onChange(now, before));
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        LOG.info("Starting arenaflow: plugins {}, input topics {}", settings.config().pluginNames(),
                settings.config().inputTopics());
        streams.start();
        startHangingTransactionWatch();
    }

    /** Under exactly_once_v2 only: the other guarantee writes no transactions. */
    private void startHangingTransactionWatch() {
        long after = settings.config().getLong(ArenaflowConfig.HANGING_TRANSACTION_AFTER_MS);
        // The guarantee and the application id are the user's settings; Kafka Streams' additions do not touch them.
        Properties properties = settings.properties();
        if (after == 0 || StreamsConfig.AT_LEAST_ONCE.equals(
                properties.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE))) {
            return;
        }
        String applicationId = properties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        HangingTransactionWatch watch = new HangingTransactionWatch(Admin.create(properties),
                WrittenTopics.of(settings, applicationId), after, System::currentTimeMillis);
        watch.bindMeters(meters);
        watch.start();
        hangingTransactions = watch;
    }

    /**
     * @param timeout how long to wait
     * @return true once every stream thread is running
     */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || stopped.getCount() == 0) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /**
     * Blocks until the instance stops, by {@link #close} or by a failure.
     *
     * @return true if it stopped because of a failure
     */
    public boolean awaitTermination() throws InterruptedException {
        stopped.await();
        return failed;
    }

    /**
     * @param timeout how long to wait
     * @return true if the instance stopped within the timeout
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return the Kafka Streams instance, for metrics and state */
    public KafkaStreams streams() {
        return streams;
    }

    /** @return the registry holding the plugins' meters */
    public MeterRegistry meters() {
        return meters;
    }

    /** @return what this instance has seen of the schema registry */
    public RegistryReachability registry() {
        return registry;
    }

    /** @return the validated settings this instance runs with */
    public ArenaflowSettings settings() {
        return settings;
    }

    /**
     * @return true once a stream thread died of an uncaught exception that stops the instance (see
     *     {@link StreamThreadFailures}; a thread replaced after a broker error does not count)
     */
    public boolean threadDied() {
        return failed;
    }

    /**
     * Closes Kafka Streams cleanly: commits, closes its stores, and leaves the consumer group so
     * the other instances take over its partitions at once rather than after the session timeout.
     * Idempotent.
     */
    @Override
    public void close() {
        LOG.info("Closing arenaflow");
        closing = true;
        HangingTransactionWatch watch = hangingTransactions;
        if (watch != null) {
            watch.close();
        }
        // A stream thread waiting out a registry outage would hold the close for its whole timeout.
        snapshotSerializer.abandonWaits();
        streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        stopped.countDown();
    }
}
