package dev.arenaflow.plugins.session;

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.PluginContext;
import dev.arenaflow.plugin.PluginState;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.schemas.SessionSnapshot;
import java.time.Instant;

/**
 * The built-in {@code session} plugin: keeps one {@link SessionAggregate} per source, applied in
 * arrival order, and emits one {@link SessionSnapshot} per record after applying it.
 */
public final class SessionPlugin implements Plugin {

    /** The plugin's name. */
    public static final String NAME = "session";

    private PluginState<SessionAggregate> sessions;

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
        sessions = context.state(new SessionAggregateSerde());
    }

    @Override
    public Outcome handle(RawRecordView view, MessageContext message) {
        String source = view.sourceAsString();
        SessionAggregate before = sessions.get(source);
        SessionAggregate after = before == null
                ? SessionAggregate.first(view.eventTime(), view.sequence(), view.payloadLength())
                : before.apply(view.eventTime(), view.sequence(), view.payloadLength());
        sessions.put(source, after);
        return Outcome.emit(snapshot(after, message));
    }

    private static SessionSnapshot snapshot(SessionAggregate a, MessageContext message) {
        return SessionSnapshot.newBuilder()
                .setMeta(message.newMeta())
                .setCount(a.count())
                .setTotalPayloadBytes(a.totalPayloadBytes())
                .setFirstEventTime(Instant.ofEpochMilli(a.firstEventTime()))
                .setLastEventTime(Instant.ofEpochMilli(a.lastEventTime()))
                .setLastSequence(a.lastSequence())
                .setGaps(a.gaps())
                .setDuplicates(a.duplicates())
                .build();
    }
}
