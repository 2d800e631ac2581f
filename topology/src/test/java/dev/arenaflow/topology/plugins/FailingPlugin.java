package dev.arenaflow.topology.plugins;

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.PluginContext;
import dev.arenaflow.record.RawRecordView;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;

/** Misbehaves as the first payload byte of type-5 records commands; emits otherwise. */
public final class FailingPlugin implements Plugin {

    public static final byte REJECT = 1;
    public static final byte THROW = 2;
    public static final byte NO_META = 3;
    public static final byte NO_OUTCOME = 4;

    /** Instances opened, across tasks: a change of settings opens a new one. */
    public static final java.util.concurrent.atomic.AtomicInteger OPENS = new java.util.concurrent.atomic.AtomicInteger();

    private String reason;

    @Override
    public String name() {
        return "failing";
    }

    @Override
    public Set<Integer> acceptedTypes() {
        return Set.of(5);
    }

    @Override
    public ConfigDef configDef() {
        return new ConfigDef().define("reason", ConfigDef.Type.STRING, "rejected by test",
                ConfigDef.Importance.LOW, "Message of REJECT outcomes.");
    }

    @Override
    public void open(PluginContext context) {
        OPENS.incrementAndGet();
        reason = context.config().getString("reason");
    }

    @Override
    public Outcome handle(RawRecordView view, MessageContext message) {
        byte command = view.payloadLength() == 0 ? 0 : view.payloadByte(0);
        return switch (command) {
            case REJECT -> Outcome.fail("REJECTED", reason);
            case THROW -> throw new IllegalArgumentException("boom " + "x".repeat(5000));
            case NO_META -> Outcome.emit(List.of(message.newMeta()));
            case NO_OUTCOME -> null;
            default -> Outcome.emit(TypedPlugin.snapshot(message, command));
        };
    }
}
