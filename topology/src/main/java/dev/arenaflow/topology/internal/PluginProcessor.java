package dev.arenaflow.topology.internal;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.internal.LoanGuard;
import dev.arenaflow.plugin.internal.MessageLender;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.topology.PluginLimits;
import dev.arenaflow.topology.PluginStalledException;
import dev.arenaflow.topology.why.PendingMessage;
import dev.arenaflow.topology.why.PendingMessages;
import dev.arenaflow.topology.why.SourceReport;
import java.util.List;
import java.util.Optional;
import dev.arenaflow.topology.PluginSpec;
import dev.arenaflow.topology.arena.ArenaEntry;
import dev.arenaflow.topology.arena.ArenaKey;
import dev.arenaflow.topology.arena.ArenaStore;
import io.micrometer.core.instrument.MeterRegistry;
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
    /** Reads retry records and sources for arenaflow itself; never lent to the plugin. */
    private final RawRecordView view;
    private final MessageLender lender;
    private final long maxBlockMs;
    private final MeterRegistry registry;
    /** Looked up for every record, so a hash set rather than a scan of the tier map's values. */
    private final java.util.Set<String> retryTopics;
    private ProcessorContext<byte[], Object> context;
    private Dispatcher dispatcher;
    private OutcomeApplier applier;
    private PluginInstance instance;
    private PluginSteering steering;
    private PluginMeters meters;
    private HandleWatch watch;
    private Watchdog watchdog;
    private ArenaStore arena;
    private PendingMessages pending;
    private PendingMessages.Task questions;
    private Cancellable punctuation;
    private boolean recovered;

    /**
     * @param spec the plugin
     * @param nodes the names of its stores and sinks
     * @param maxPayloadLength the decoder's payload limit
     * @param loanGuard how the plugin's use of a view or context after its call is caught
     * @param maxBlockMs the longest the stream thread may wait for room in the arena
     * @param registry where the plugin's meters go, tagged with the task
     */
    public PluginProcessor(PluginSpec spec, PluginNodes nodes, int maxPayloadLength, LoanGuard loanGuard,
                           long maxBlockMs, MeterRegistry registry) {
        this.spec = spec;
        this.maxBlockMs = maxBlockMs;
        this.registry = registry;
        this.nodes = nodes;
        this.retryTopics = nodes.retryTopicNames();
        this.view = new RawRecordView(maxPayloadLength);
        this.lender = new MessageLender(loanGuard, spec.name(), maxPayloadLength);
    }

    @Override
    public void init(ProcessorContext<byte[], Object> context) {
        this.context = context;
        // Kafka Streams may close and init the same processor again (a corrupted or resumed task).
        this.recovered = false;
        this.arena = context.getStateStore(nodes.arenaStore());
        this.meters = new PluginMeters(registry, spec, context.taskId().toString());
        this.applier = new OutcomeApplier(spec.name(), nodes, context, meters);
        this.dispatcher = new Dispatcher(arena, spec.limits(), new Lender(), applier, context::currentSystemTimeMs,
                () -> ThreadLocalRandom.current().nextDouble());
        this.instance = new PluginInstance(spec, context, nodes.stateStore());
        instance.open(spec.config());
        this.steering = new PluginSteering(spec, nodes, context, context.getStateStore(PluginNodes.CONTROL_STORE),
                instance, dispatcher);
        PluginLimits.Breaker breaker = spec.limits().breaker();
        dispatcher.guardWith(new CircuitBreaker(breaker.enabled(), breaker.failureRate(), breaker.windowMs(),
                breaker.minAttempts()), steering::tripped);
        dispatcher.onRetryLateness(meters::retryLate);
        dispatcher.onAsyncCompletion(meters::completedAsync);
        dispatcher.onQuarantine(new QuarantineLog("Plugin " + spec.name() + " in task " + context.taskId(),
                context::currentSystemTimeMs));
        if (context.appConfigs().get(PendingMessages.PROPERTY) instanceof PendingMessages pending) {
            this.pending = pending;
            this.questions = pending.register(spec.name(), context.taskId().toString());
            dispatcher.afterPoll(() -> questions.answer(this::report));
        }
        // Processors are initialised once the task's stores are restored, so this is what restoration brought back.
        int restored = arena.size();
        this.watchdog = new Watchdog(spec.limits().watchdog(), new WatchedTask(), context.currentSystemTimeMs());
        meters.watch(arena, restored, dispatcher, steering, watchdog);
        this.watch = new HandleWatch("Plugin " + spec.name() + " in task " + context.taskId(),
                spec.limits().handleTimeoutMs());
        this.punctuation = context.schedule(POLL_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> tick());
        LOG.info("Plugin {} opened in task {} ({} restored arena entries)", spec.name(), context.taskId(), restored);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        recoverOnce();
        RecordMetadata position = context.recordMetadata().orElseThrow();
        boolean retry = retryTopics.contains(position.topic());
        if (!retry) {
            meters.recordIn();
        }
        if (!retry && steering.skips()) {
            return;
        }
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
        ArenaKey key = new ArenaKey(position.topic(), position.partition(), position.offset());
        if (retry) {
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
        steering.check();
        dispatcher.poll();
        steering.reportQuarantine();
        String stall = watchdog.check(context.currentSystemTimeMs());
        if (stall != null) {
            stalled(stall);
        }
    }

    /** Logs a stall once, with what is pending, and answers it as {@code watchdog.action} says. */
    private void stalled(String why) {
        PluginLimits.Watchdog.Action action = spec.limits().watchdog().action();
        long oldest = dispatcher.oldestInFlightStartMs();
        LOG.warn("Plugin {} in task {} stalled: {}. Pending: {} attempts in flight (the oldest for {} ms), {} parked, "
                        + "{} quarantined sources, {} held, {} arena entries. watchdog.action={}", spec.name(),
                context.taskId(), why, dispatcher.inFlight(), oldest < 0 ? 0 : context.currentSystemTimeMs() - oldest,
                dispatcher.parked(), dispatcher.quarantinedSources(), dispatcher.held(), arena.size(), action.text());
        switch (action) {
            case REPORT -> { }
            case PAUSE -> dispatcher.trip("the progress watchdog found task " + context.taskId() + " stalled: " + why);
            case FAIL -> throw new PluginStalledException(spec.name(), context.taskId().toString(), why);
        }
    }

    /** @return what this task holds of a source, if anything */
    private Optional<SourceReport> report(String source) {
        List<PendingMessage> messages = dispatcher.pendingOf(source);
        return messages.isEmpty() ? Optional.empty() : Optional.of(new SourceReport(spec.name(), source,
                context.taskId().toString(), dispatcher.quarantined(source), messages));
    }

    /** What the watchdog reads of this task. */
    private final class WatchedTask implements Watchdog.Task {
        @Override
        public long outcomes() {
            return applier.applied();
        }

        @Override
        public int inFlight() {
            return dispatcher.inFlight();
        }

        @Override
        public long oldestStartMs() {
            return dispatcher.oldestInFlightStartMs();
        }

        @Override
        public boolean halted() {
            return dispatcher.halted();
        }
    }

    /**
     * The control record first, then restored entries, before any new input: Kafka Streams only
     * lets a processor forward once processing runs, and a paused plugin must hold what it restores.
     */
    private void recoverOnce() {
        if (!recovered) {
            recovered = true;
            steering.check();
            dispatcher.recover();
        }
    }

    @Override
    public void close() {
        if (punctuation != null) {
            punctuation.cancel();
        }
        if (questions != null) {
            pending.unregister(spec.name(), context.taskId().toString(), questions);
            questions = null;
        }
        if (dispatcher != null) {
            dispatcher.clear();
        }
        if (meters != null) {
            meters.close();
        }
        if (watch != null) {
            watch.close();
        }
        if (instance != null) {
            instance.close();
        }
    }

    /** Lends the plugin a view of an entry for the duration of one call. */
    private final class Lender implements Dispatcher.Handler {

        @Override
        @SuppressWarnings("try")
        public Outcome handle(ArenaEntry entry) {
            RawRecordView lent = lender.lendView(entry.value());
            if (!lent.isValid()) {
                Outcome malformed = Outcome.fail(lent.error().name(), String.valueOf(lent.errorDetail()));
                lender.endLoan();
                return malformed;
            }
            ArenaKey key = entry.key();
            try (ContextLoader swap = ContextLoader.swapFor(instance.plugin())) {
                watch.start();
                Outcome outcome = instance.plugin().handle(lent, lender.lendContext(key.topic(), key.partition(),
                        key.offset(), entry.attempt()));
                return outcome != null ? outcome : Outcome.fail("NULL_OUTCOME", "plugin returned no outcome");
            } catch (RuntimeException e) {
                LOG.debug("Plugin {} threw on {}", spec.name(), key, e);
                return Outcome.fail(Dispatcher.PLUGIN_EXCEPTION, e);
            } catch (StackOverflowError e) {
                return pluginError(key, e);
            } catch (VirtualMachineError e) {
                // Out of memory or an internal JVM error: nothing in this process can be trusted to go on.
                throw e;
            } catch (Error e) {
                return pluginError(key, e);
            } finally {
                lender.endLoan();
                long blockedMs = watch.stop();
                meters.handled(watch.lastNanos());
                if (blockedMs >= 0) {
                    dispatcher.trip("handle() blocked the stream thread for " + blockedMs + " ms (handle.timeout.ms "
                            + spec.limits().handleTimeoutMs() + "); make slow calls async");
                }
            }
        }

        @Override
        @SuppressWarnings("try")
        public Outcome onTimeout(ArenaEntry entry, Outcome timeout) {
            RawRecordView lent = lender.lendView(entry.value());
            ArenaKey key = entry.key();
            try (ContextLoader swap = ContextLoader.swapFor(instance.plugin())) {
                if (!lent.isValid()) {
                    return timeout;
                }
                Outcome verdict = instance.plugin().onTimeout(lent, lender.lendContext(key.topic(), key.partition(),
                        key.offset(), entry.attempt()));
                if (verdict instanceof Outcome.Later || verdict instanceof Outcome.Defer) {
                    LOG.warn("Plugin {}: onTimeout returned {} for {}, which is not a verdict; the attempt failed "
                            + "with TIMEOUT instead", spec.name(), verdict.getClass().getSimpleName(), key);
                    return timeout;
                }
                return verdict != null ? verdict : timeout;
            } catch (RuntimeException e) {
                LOG.warn("Plugin {}: onTimeout threw on {}; the attempt failed with TIMEOUT instead", spec.name(), key,
                        e);
                return timeout;
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Error e) {
                return pluginError(key, e);
            } finally {
                lender.endLoan();
            }
        }

        /** A plugin that throws an Error is broken, not unlucky: its message is a dead letter and the plugin is paused. */
        private Outcome pluginError(ArenaKey key, Error e) {
            LOG.error("Plugin {} threw {} on {}; pausing it", spec.name(), e, key, e);
            return Outcome.fail(Dispatcher.PLUGIN_ERROR, e);
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
