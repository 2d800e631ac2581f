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
 * byte 1 how it fails ({@link #THROW}, {@link #ASK_RETRY} after byte 2 seconds, {@link #REJECT}
 * for good, or {@link #BREAK}: an {@link Error}). Then it emits a snapshot. Every dispatch is noted as {@code source:sequence#attempt}.
 */
public final class FlakyPlugin implements Plugin {

    public static final int TYPE = 12;
    public static final byte THROW = 0;
    public static final byte ASK_RETRY = 1;
    public static final byte REJECT = 2;
    public static final byte BREAK = 3;
    public static final byte SLEEP = 4;

    public static final List<String> DISPATCHES = Collections.synchronizedList(new ArrayList<>());
    /** Labels taken at runtime by {@link #reconfigure}, and instances opened. */
    public static final List<String> LABELS = Collections.synchronizedList(new ArrayList<>());
    public static final java.util.concurrent.atomic.AtomicInteger OPENS = new java.util.concurrent.atomic.AtomicInteger();

    public static void reset() {
        DISPATCHES.clear();
        LABELS.clear();
        OPENS.set(0);
    }

    @Override
    public org.apache.kafka.common.config.ConfigDef configDef() {
        return new org.apache.kafka.common.config.ConfigDef().define("label", org.apache.kafka.common.config.ConfigDef.Type.STRING,
                "", org.apache.kafka.common.config.ConfigDef.Importance.LOW, "A label the plugin takes at runtime.");
    }

    @Override
    public boolean reconfigure(org.apache.kafka.common.config.AbstractConfig config) {
        LABELS.add(config.getString("label"));
        return true;
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
        OPENS.incrementAndGet();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
            case BREAK -> throw new NoClassDefFoundError("com/example/Missing");
            case SLEEP -> {
                sleep(100L * view.payloadByte(2));
                yield Outcome.emit(TypedPlugin.snapshot(message, failures));
            }
            default -> throw new IllegalStateException("flaky on attempt " + message.attempt());
        };
    }
}
