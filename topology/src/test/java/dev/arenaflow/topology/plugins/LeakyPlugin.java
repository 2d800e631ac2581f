package dev.arenaflow.topology.plugins;

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.PluginContext;
import dev.arenaflow.record.RawRecordView;
import java.util.List;
import java.util.Set;

/** Wrongly keeps the borrowed view after its call, so a test can show that using it fails. */
public final class LeakyPlugin implements Plugin {

    public static volatile RawRecordView kept;

    @Override
    public String name() {
        return "leaky";
    }

    @Override
    public Set<Integer> acceptedTypes() {
        return Set.of(6);
    }

    @Override
    public void open(PluginContext context) {
    }

    @Override
    public Outcome handle(RawRecordView view, MessageContext message) {
        kept = view;
        return Outcome.emit(List.of());
    }
}
