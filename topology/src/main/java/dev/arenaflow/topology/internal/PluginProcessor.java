package dev.arenaflow.topology.internal;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.internal.ReusableMessageContext;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.topology.PluginSpec;
import dev.arenaflow.topology.arena.ArenaEntry;
import dev.arenaflow.topology.arena.ArenaKey;
import dev.arenaflow.topology.arena.ArenaStore;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One plugin's processor node: holds each message in the plugin's arena, lends the plugin a view
 * of it, applies the outcome, and acknowledges the entry.
 *
 * <p>A plugin's exception or a broken outcome becomes a dead letter of that plugin; it never
 * stops the task, and other plugins never see it.
 */
public final class PluginProcessor implements Processor<byte[], byte[], byte[], Object> {

    private static final Logger LOG = LoggerFactory.getLogger(PluginProcessor.class);

    private final PluginSpec spec;
    private final PluginNodes nodes;
    private final RawRecordView view;
    private final ReusableMessageContext message;
    private ProcessorContext<byte[], Object> context;
    private ArenaStore arena;
    private Plugin plugin;
    private OutcomeApplier applier;

    /**
     * @param spec the plugin
     * @param nodes the names of its stores and sinks
     * @param maxPayloadLength the decoder's payload limit
     */
    public PluginProcessor(PluginSpec spec, PluginNodes nodes, int maxPayloadLength) {
        this.spec = spec;
        this.nodes = nodes;
        this.view = new RawRecordView(maxPayloadLength);
        this.message = new ReusableMessageContext(spec.name());
    }

    @Override
    public void init(ProcessorContext<byte[], Object> context) {
        this.context = context;
        this.arena = context.getStateStore(nodes.arenaStore());
        this.applier = new OutcomeApplier(spec.name(), nodes, context);
        this.plugin = spec.factory().get();
        plugin.open(new StreamsPluginContext(spec, context, nodes.stateStore()));
        LOG.info("Plugin {} opened in task {}", spec.name(), context.taskId());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata position = context.recordMetadata().orElseThrow();
        ArenaEntry entry = new ArenaEntry(new ArenaKey(position.topic(), position.partition(), position.offset()),
                1, record.timestamp(), record.key(), record.value(), record.headers());
        arena.put(entry);
        dispatch(entry);
    }

    private void dispatch(ArenaEntry entry) {
        applier.apply(entry, handle(entry));
        arena.ack(entry.key());
    }

    private Outcome handle(ArenaEntry entry) {
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
    public void close() {
        if (plugin != null) {
            plugin.close();
        }
    }
}
