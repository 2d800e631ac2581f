package dev.arenaflow.topology.plugins;

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.PluginContext;
import dev.arenaflow.record.RawRecordView;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Misuses its loan as the payload's first byte says, so a test can see arenaflow catch it: keeps
 * the view or the context in a field and reads it in the next call, or reads either from a stage
 * that runs once the test completes {@link #gate}, on the thread the test completes it from.
 */
public final class KeepsLoanPlugin implements Plugin {

    public static final int TYPE = 12;
    public static final byte PLAIN = 0;
    public static final byte KEEP_VIEW = 1;
    public static final byte KEEP_CONTEXT = 2;
    public static final byte VIEW_LATER = 3;
    public static final byte CONTEXT_LATER = 4;

    /** Opens the stages; replaced by {@link #reset()}. */
    public static volatile CompletableFuture<Void> gate = new CompletableFuture<>();

    private RawRecordView keptView;
    private MessageContext keptContext;

    public static void reset() {
        gate = new CompletableFuture<>();
    }

    @Override
    public String name() {
        return "keeps";
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
        if (keptView != null) {
            keptView.sequence();
        }
        if (keptContext != null) {
            keptContext.offset();
        }
        switch (view.payloadByte(0)) {
            case KEEP_VIEW -> keptView = view;
            case KEEP_CONTEXT -> keptContext = message;
            case VIEW_LATER -> {
                return Outcome.later(gate.thenApply(ignored -> Outcome.fail("READ", "sequence " + view.sequence())));
            }
            case CONTEXT_LATER -> {
                return Outcome.later(gate.thenApply(ignored -> Outcome.fail("READ", "offset " + message.offset())));
            }
            default -> {
            }
        }
        return Outcome.emit(List.of());
    }
}
