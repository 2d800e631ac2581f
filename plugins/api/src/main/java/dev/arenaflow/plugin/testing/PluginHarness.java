package dev.arenaflow.plugin.testing;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.PluginContext;
import dev.arenaflow.plugin.PluginState;
import dev.arenaflow.plugin.internal.LoanGuard;
import dev.arenaflow.plugin.internal.MessageLender;
import dev.arenaflow.record.RawRecordFormat;
import dev.arenaflow.record.RawRecordView;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * Runs one plugin in a unit test, with no broker and no topology: feed it record values, read
 * its outcomes.
 *
 * <pre>{@code
 * PluginHarness harness = PluginHarness.open(new CountPlugin(), Map.of("threshold", "3"));
 * CountSnapshot snapshot = harness.expect(TestRecord.from("dev-1")).emitsOne(CountSnapshot.class);
 * }</pre>
 *
 * <p>{@link #expect} returns an {@link OutcomeAssert} over the outcome: emitted snapshots, dead
 * letters, retries and deferrals as the plugin asked for them, and for an async plugin a stage that is
 * still pending or completes. State is kept across calls, per harness, as in one stream task. A
 * configuration its {@code ConfigDef} rejects makes {@link #open} throw Kafka's
 * {@link org.apache.kafka.common.config.ConfigException}, naming the key, as arenaflow does at start-up.
 *
 * <p>It lends the view and the message context as arenaflow does under the strict loan guard
 * ({@code arenaflow.loan.guard=strict}): each call gets its own, ended for good when the call
 * returns, so a plugin that uses either after its call (kept in a field and read in the next call,
 * or read from an async stage on any thread) gets an {@link IllegalStateException} here. State
 * values go through their serde, so serde mistakes show up as well.
 *
 * <p>Threading notes: call {@link #open}, {@link #handle} and {@link #close} from one thread, which
 * plays the stream thread; {@link #await} may be called from any.
 */
public final class PluginHarness implements AutoCloseable {

    private static final String TOPIC = "raw-events";

    private final Plugin plugin;
    private final MessageLender lender;
    private long nextOffset;

    private PluginHarness(Plugin plugin) {
        this.plugin = plugin;
        this.lender = new MessageLender(LoanGuard.STRICT, plugin.name(), RawRecordFormat.DEFAULT_MAX_PAYLOAD_LENGTH);
    }

    /**
     * Opens a plugin with the given configuration (keys without the {@code plugin.<name>.} prefix).
     *
     * @param plugin a new instance
     * @param config its configuration, validated against its {@code ConfigDef}
     * @return the harness
     */
    public static PluginHarness open(Plugin plugin, Map<String, ?> config) {
        PluginHarness harness = new PluginHarness(plugin);
        plugin.open(new Context(plugin, new AbstractConfig(plugin.configDef(), config)));
        return harness;
    }

    /**
     * Opens a plugin with its default configuration.
     *
     * @param plugin a new instance
     * @return the harness
     */
    public static PluginHarness open(Plugin plugin) {
        return open(plugin, Map.of());
    }

    /**
     * Hands one record value to the plugin, as partition 0 of {@code raw-events} at the next offset.
     *
     * @param value a Raw Record v1 value
     * @return the plugin's outcome
     * @throws IllegalArgumentException if the value is malformed: arenaflow never hands those to plugins
     */
    public Outcome handle(byte[] value) {
        return handle(value, 1);
    }

    /**
     * Hands one record to the plugin, as partition 0 of {@code raw-events} at the next offset.
     *
     * @param record the record
     * @return the plugin's outcome
     */
    public Outcome handle(TestRecord record) {
        return handle(record.toBytes(), 1);
    }

    /**
     * Hands one record to the plugin and checks its outcome.
     *
     * @param record the record
     * @return the checks over the plugin's outcome
     */
    public OutcomeAssert expect(TestRecord record) {
        return OutcomeAssert.assertOutcome(handle(record.toBytes(), 1));
    }

    /**
     * Hands one record to the plugin as a given attempt, as arenaflow does when a retry comes back,
     * and checks its outcome.
     *
     * @param record the record
     * @param attempt the attempt number, from 1
     * @return the checks over the plugin's outcome
     */
    public OutcomeAssert expect(TestRecord record, int attempt) {
        return OutcomeAssert.assertOutcome(handle(record.toBytes(), attempt));
    }

    /**
     * Hands one record value to the plugin as a given attempt.
     *
     * @param value a Raw Record v1 value
     * @param attempt the attempt number, from 1
     * @return the plugin's outcome
     */
    public Outcome handle(byte[] value, int attempt) {
        RawRecordView view = lender.lendView(value);
        try {
            if (!view.isValid()) {
                throw new IllegalArgumentException("malformed record: " + view.error() + ": " + view.errorDetail());
            }
            return plugin.handle(view, lender.lendContext(TOPIC, 0, nextOffset++, attempt));
        } finally {
            lender.endLoan();
        }
    }

    /**
     * Waits for an async outcome.
     *
     * @param outcome what {@link #handle} returned
     * @param timeout how long to wait for a {@link Outcome.Later} stage
     * @return the outcome itself, or the one its stage completed with
     * @throws IllegalStateException if the stage failed or did not complete in time
     */
    public static Outcome await(Outcome outcome, java.time.Duration timeout) {
        if (!(outcome instanceof Outcome.Later later)) {
            return outcome;
        }
        try {
            return later.stage().toCompletableFuture().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + later, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("async outcome did not complete: " + e, e);
        }
    }

    @Override
    public void close() {
        plugin.close();
    }

    private record Context(Plugin plugin, AbstractConfig config, Map<String, byte[]> stateValues)
            implements PluginContext {

        Context(Plugin plugin, AbstractConfig config) {
            this(plugin, config, new HashMap<>());
        }

        @Override
        public String pluginName() {
            return plugin.name();
        }

        @Override
        public <V> PluginState<V> state(Serde<V> valueSerde) {
            if (!plugin.keepsState()) {
                throw new IllegalStateException("plugin " + plugin.name() + " does not declare keepsState()");
            }
            return new InMemoryState<>(stateValues, valueSerde);
        }
    }

    /** Like arenaflow's state: usable only by the thread that opened the plugin. */
    private static final class InMemoryState<V> implements PluginState<V> {
        private final Map<String, byte[]> values;
        private final Serde<V> serde;
        private final Thread owner = Thread.currentThread();

        private InMemoryState(Map<String, byte[]> values, Serde<V> serde) {
            this.values = values;
            this.serde = serde;
        }

        @Override
        public V get(String key) {
            checkThread();
            byte[] bytes = values.get(key);
            return bytes == null ? null : serde.deserializer().deserialize(null, bytes);
        }

        @Override
        public void put(String key, V value) {
            checkThread();
            values.put(key, serde.serializer().serialize(null, value));
        }

        @Override
        public void delete(String key) {
            checkThread();
            values.remove(key);
        }

        private void checkThread() {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("plugin state used from thread " + Thread.currentThread().getName()
                        + "; only the stream thread may use it, inside open, handle or close");
            }
        }
    }
}
