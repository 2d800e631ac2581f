package dev.arenaflow.topology.plugins;

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.PluginContext;
import dev.arenaflow.record.RawRecordView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * A sync plugin that fails the first k attempts of a message, as its payload says: byte 0 is k,
 * byte 1 how it fails ({@link #THROW}, {@link #ASK_RETRY} after byte 2 seconds, or {@link #REJECT}
 * for good). Then it emits a snapshot. Every dispatch is noted as {@code source:sequence#attempt}.
 */
public final class FlakyPlugin implements Plugin {

    public static final int TYPE = 12;
    public static final byte THROW = 0;
    public static final byte ASK_RETRY = 1;
    public static final byte REJECT = 2;

    public static final List<String> DISPATCHES = Collections.synchronizedList(new ArrayList<>());

    public static void reset() {
        DISPATCHES.clear();
    }

    @Override
    public String name() {
        return "flaky";
    }

    @Override
    public Set<Integer> acceptedTypes() {
        return Set.of(TYPE);
    }

    @Override
    public void open(PluginContext context) {
    }

    @Override
    public Outcome handle(RawRecordView view, MessageContext message) {
        DISPATCHES.add(view.sourceAsString() + ":" + view.sequence() + "#" + message.attempt());
        int failures = view.payloadLength() > 0 ? view.payloadByte(0) : 0;
        if (message.attempt() > failures) {
            return Outcome.emit(TypedPlugin.snapshot(message, failures));
        }
        byte how = view.payloadLength() > 1 ? view.payloadByte(1) : THROW;
        return switch (how) {
            case ASK_RETRY -> Outcome.retry(Duration.ofSeconds(view.payloadByte(2)), "asked to wait");
            case REJECT -> Outcome.fail("REJECTED", "not this one");
            default -> throw new IllegalStateException("flaky on attempt " + message.attempt());
        };
    }
}
