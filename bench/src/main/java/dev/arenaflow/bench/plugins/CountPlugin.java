package dev.arenaflow.bench.plugins;

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.PluginContext;
import dev.arenaflow.plugin.PluginState;
import dev.arenaflow.record.RawRecordView;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A cheap sync plugin for the benchmark, the README's example: counts records per source in its
 * keyed state and emits one {@link CountSnapshot} per record.
 */
public final class CountPlugin implements Plugin {

    /** The plugin's name. */
    public static final String NAME = "sync-count";

    private PluginState<Long> counts;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean keepsState() {
        return true;
    }

    @Override
    public void open(PluginContext context) {
        counts = context.state(Serdes.Long());
    }

    @Override
    public Outcome handle(RawRecordView view, MessageContext message) {
        String source = view.sourceAsString();
        Long before = counts.get(source);
        long count = before == null ? 1 : before + 1;
        counts.put(source, count);
        return Outcome.emit(new CountSnapshot(message.newMeta(), count));
    }
}
