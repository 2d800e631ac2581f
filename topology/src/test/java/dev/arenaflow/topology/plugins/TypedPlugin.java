package dev.arenaflow.topology.plugins;

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.PluginContext;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.schemas.SessionSnapshot;
import java.time.Instant;
import java.util.Set;

/** Accepts only type 9 and emits a snapshot whose count is the payload length. */
public final class TypedPlugin implements Plugin {

    @Override
    public String name() {
        return "typed";
    }

    @Override
    public Set<Integer> acceptedTypes() {
        return Set.of(9);
    }

    @Override
    public void open(PluginContext context) {
    }

    @Override
    public Outcome handle(RawRecordView view, MessageContext message) {
        return Outcome.emit(snapshot(message, view.payloadLength()));
    }

    static SessionSnapshot snapshot(MessageContext message, long count) {
        return SessionSnapshot.newBuilder(snapshot(message.newMeta())).setCount(count).build();
    }

    static SessionSnapshot snapshot(dev.arenaflow.schemas.SnapshotMeta meta) {
        return SessionSnapshot.newBuilder().setMeta(meta).setCount(0).setTotalPayloadBytes(0)
                .setFirstEventTime(Instant.EPOCH).setLastEventTime(Instant.EPOCH).setLastSequence(0)
                .setGaps(0).setDuplicates(0).build();
    }
}
