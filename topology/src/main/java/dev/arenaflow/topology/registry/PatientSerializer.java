package dev.arenaflow.topology.registry;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A snapshot serializer that waits out registry outages instead of failing. When the registry
 * cannot answer ({@link RegistryFailures#isOutage}), the calling stream thread waits and tries
 * again, 100 ms at first and doubling up to 5 s, until the registry answers or the instance
 * closes. The record is not the one at fault, so it must not become a dead letter, and failing
 * the stream thread would stop the instance. Any other failure is passed on unchanged.
 *
 * <p>Waiting holds the stream thread, so its open transaction may time out (exactly_once_v2) or
 * its consumer may leave the group (after {@code max.poll.interval.ms}); Kafka Streams then treats
 * the task as migrated and redoes its work from the last commit, so nothing is lost or doubled.
 * The serde caches the schema ids it has seen, so only a snapshot that needs a new lookup waits.
 *
 * <p>Threading notes: one instance is shared by every stream thread; {@link #abandonWaits} may be
 * called from any thread.
 */
public final class PatientSerializer<T> implements Serializer<T> {

    static final Duration FIRST_WAIT = Duration.ofMillis(100);
    static final Duration LONGEST_WAIT = Duration.ofSeconds(5);

    /** Waits; a seam for tests, which must not sleep. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration wait) throws InterruptedException;
    }

    private final Serializer<T> delegate;
    private final RegistryReachability reachability;
    private final Pause pause;
    private volatile boolean abandoned;

    /**
     * @param delegate the registry-backed serializer
     * @param reachability told of every failed and successful call
     */
    public PatientSerializer(Serializer<T> delegate, RegistryReachability reachability) {
        this(delegate, reachability, wait -> Thread.sleep(wait.toMillis()));
    }

    PatientSerializer(Serializer<T> delegate, RegistryReachability reachability, Pause pause) {
        this.delegate = delegate;
        this.reachability = reachability;
        this.pause = pause;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        delegate.configure(configs, isKey);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return serialize(topic, null, data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        Duration wait = FIRST_WAIT;
        while (true) {
            try {
                byte[] bytes = headers == null ? delegate.serialize(topic, data) : delegate.serialize(topic, headers, data);
                reachability.answered();
                return bytes;
            } catch (RuntimeException e) {
                if (!RegistryFailures.isOutage(e)) {
                    throw e;
                }
                reachability.failed(RegistryFailures.describe(e));
                if (abandoned) {
                    throw new SerializationException("stopped waiting for the schema registry: the instance is closing;"
                            + " the work since the last commit is redone by whoever runs this task next", e);
                }
            }
            try {
                pause.pause(wait);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new SerializationException("interrupted while waiting for the schema registry", interrupted);
            }
            wait = wait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait.multipliedBy(2);
        }
    }

    /** Makes every wait end with a failure at its next try: the instance is closing. */
    public void abandonWaits() {
        abandoned = true;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
