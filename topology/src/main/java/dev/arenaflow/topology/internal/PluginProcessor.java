package dev.arenaflow.topology.internal;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.internal.ReusableMessageContext;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.topology.PluginSpec;
import dev.arenaflow.topology.arena.ArenaEntry;
import dev.arenaflow.topology.arena.ArenaKey;
import dev.arenaflow.topology.arena.ArenaStore;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One plugin's processor node: holds each message in the plugin's arena, lends the plugin a view
 * of it, and applies the outcome, now or when the plugin's stage completes.
 *
 * <p>A plugin's exception or a broken outcome becomes a dead letter of that plugin; it never
 * stops the task, and other plugins never see it.
 *
 * <p>Threading notes: Kafka Streams calls every method on the task's stream thread. Async
 * completions reach it through the {@link Dispatcher}'s queue, drained in {@link #process} and
 * in a wall-clock punctuation.
 */
public final class PluginProcessor implements Processor<byte[], byte[], byte[], Object> {

    private static final Logger LOG = LoggerFactory.getLogger(PluginProcessor.class);
    /** How often completions, timeouts and due retries are looked at when no record arrives. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    private final PluginSpec spec;
    private final PluginNodes nodes;
    private final RawRecordView view;
    private final ReusableMessageContext message;
    private final long maxBlockMs;
    private ProcessorContext<byte[], Object> context;
    private Plugin plugin;
    private Dispatcher dispatcher;
    private OutcomeApplier applier;
    private PluginMetrics metrics;
    private Cancellable punctuation;
    private boolean recovered;

    /**
     * @param spec the plugin
     * @param nodes the names of its stores and sinks
     * @param maxPayloadLength the decoder's payload limit
     * @param maxBlockMs the longest the stream thread may wait for room in the arena
     */
    public PluginProcessor(PluginSpec spec, PluginNodes nodes, int maxPayloadLength, long maxBlockMs) {
        this.spec = spec;
        this.maxBlockMs = maxBlockMs;
        this.nodes = nodes;
        this.view = new RawRecordView(maxPayloadLength);
        this.message = new ReusableMessageContext(spec.name());
    }

    @Override
    public void init(ProcessorContext<byte[], Object> context) {
        this.context = context;
        // Kafka Streams may close and init the same processor again (a corrupted or resumed task).
        this.recovered = false;
        ArenaStore arena = context.getStateStore(nodes.arenaStore());
        this.applier = new OutcomeApplier(spec.name(), nodes, context);
        this.dispatcher = new Dispatcher(arena, spec.limits(), new Lender(), applier, context::currentSystemTimeMs,
                () -> ThreadLocalRandom.current().nextDouble());
        this.plugin = spec.factory().get();
        plugin.open(new StreamsPluginContext(spec, context, nodes.stateStore()));
        this.metrics = new PluginMetrics(context, spec.name(), arena, dispatcher);
        this.punctuation = context.schedule(POLL_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> tick());
        LOG.info("Plugin {} opened in task {} ({} restored arena entries)", spec.name(), context.taskId(), arena.size());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        recoverOnce();
        try {
            if (!dispatcher.awaitCapacity(maxBlockMs)) {
                LOG.warn("Plugin {} in task {}: arena still at its bound of {} after {} ms; taking {} over the bound "
                        + "so the stream thread stays within max.poll.interval.ms and the transaction timeout",
                        spec.name(), context.taskId(), spec.limits().maxInFlight(), maxBlockMs,
                        context.recordMetadata().map(Object::toString).orElse("the record"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamsException("interrupted while waiting for plugin " + spec.name() + " to complete messages", e);
        }
        RecordMetadata position = context.recordMetadata().orElseThrow();
        ArenaKey key = new ArenaKey(position.topic(), position.partition(), position.offset());
        if (nodes.isRetryTopic(position.topic())) {
            takeRetry(record, key);
            return;
        }
        if (!dispatcher.submitConsumed(new ArenaEntry(key, 1, record.timestamp(), record.key(), record.value(),
                record.headers()))) {
            LOG.debug("Plugin {}: {} consumed again while its restored entry is pending; keeping the entry",
                    spec.name(), key);
        }
    }

    /**
     * A retry record stands for its original message: same arena key (the origin position), the
     * next attempt, and the not-before time its headers carry.
     */
    private void takeRetry(Record<byte[], byte[]> record, ArenaKey at) {
        RetryHeaders retry = RetryHeaders.read(record.headers(), nodes.inputTopics());
        if (retry.problem() != null) {
            applier.deadLetter(new ArenaEntry(at, 1, record.timestamp(), record.key(), record.value(), record.headers()),
                    Failure.chosen("BAD_RETRY_RECORD", "retry record at " + at + ": " + retry.problem()));
            return;
        }
        ArenaEntry entry = new ArenaEntry(retry.origin(), retry.failedAttempt() + 1, record.timestamp(), record.key(),
                record.value(), record.headers(), retry.notBeforeMs(), ArenaEntry.Stage.RETRY_DUE);
        try {
            if (view.wrap(entry.value()).isValid() && !spec.accepts(view.type())) {
                applier.deadLetter(entry, Failure.chosen("TYPE_NOT_ACCEPTED", "plugin " + spec.name()
                        + " does not accept type " + view.type() + " (a replay to the wrong plugin?)"));
                return;
            }
        } finally {
            view.release();
        }
        if (!dispatcher.submitRetry(entry)) {
            LOG.debug("Plugin {}: retry of {} read again while the arena holds it; keeping the entry",
                    spec.name(), entry.key());
        }
    }

    private void tick() {
        recoverOnce();
        dispatcher.poll();
    }

    /** Restored entries go first, before any new input: Kafka Streams only forwards once processing runs. */
    private void recoverOnce() {
        if (!recovered) {
            recovered = true;
            dispatcher.recover();
        }
    }

    @Override
    public void close() {
        if (punctuation != null) {
            punctuation.cancel();
        }
        if (dispatcher != null) {
            dispatcher.clear();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (plugin != null) {
            plugin.close();
        }
    }

    /** Lends the plugin a view of an entry for the duration of one call. */
    private final class Lender implements Dispatcher.Handler {

        @Override
        public Outcome handle(ArenaEntry entry) {
            if (!view.wrap(entry.value()).isValid()) {
                return Outcome.fail(view.error().name(), String.valueOf(view.errorDetail()));
            }
            ArenaKey key = entry.key();
            try {
                Outcome outcome = plugin.handle(view, message.wrap(view, key.topic(), key.partition(), key.offset(),
                        entry.attempt()));
                return outcome != null ? outcome : Outcome.fail("NULL_OUTCOME", "plugin returned no outcome");
            } catch (RuntimeException e) {
                LOG.debug("Plugin {} threw on {}", spec.name(), key, e);
                return Outcome.fail("PLUGIN_EXCEPTION", e);
            } finally {
                view.release();
            }
        }

        @Override
        public String sourceOf(ArenaEntry entry) {
            try {
                return view.wrap(entry.value()).sourceAsString();
            } finally {
                view.release();
            }
        }
    }
}
