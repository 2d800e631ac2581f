package dev.arenaflow.bench.plugins;

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.PluginContext;
import dev.arenaflow.plugin.PluginState;
import dev.arenaflow.record.RawRecordView;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A cheap sync plugin for the benchmark: keeps the sequence and event time of each source's last
 * record in its keyed state (16 bytes) and emits, per record, a {@link LastValueSnapshot} of the
 * previous one.
 */
public final class LastValuePlugin implements Plugin {

    /** The plugin's name. */
    public static final String NAME = "sync-last";

    private PluginState<byte[]> last;

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
        last = context.state(Serdes.ByteArray());
    }

    @Override
    public Outcome handle(RawRecordView view, MessageContext message) {
        String source = view.sourceAsString();
        byte[] before = last.get(source);
        ByteBuffer previous = before == null ? null : ByteBuffer.wrap(before);
        last.put(source, ByteBuffer.allocate(2 * Long.BYTES).putLong(view.sequence()).putLong(view.eventTime()).array());
        return Outcome.emit(new LastValueSnapshot(message.newMeta(),
                previous == null ? -1 : previous.getLong(0), previous == null ? -1 : previous.getLong(Long.BYTES)));
    }
}
