package dev.arenaflow.cli.it.support;

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.PluginContext;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.schemas.SnapshotMeta;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The {@code flaky} test plugin: async, answering 1 to 5 ms later. Payload byte 0 is how many
 * first attempts of the message fail with an exception ({@link #ALWAYS}: every one); byte 1 set
 * to {@link #UNTIL_HEALED} rejects the message for good, without retries, until {@link #heal()};
 * byte 1 set to {@link #HANGS} starts an attempt that never completes. Otherwise it emits one snapshot whose {@code count} is byte 0.
 */
public final class FlakyPlugin implements Plugin {

    public static final String NAME = "flaky";
    public static final byte ALWAYS = 99;
    public static final byte UNTIL_HEALED = 1;
    public static final byte HANGS = 2;
    private static volatile boolean healed;
    private static final ScheduledExecutorService TIMER = Executors.newScheduledThreadPool(2, task -> {
        Thread thread = new Thread(task, "flaky-plugin-timer");
        thread.setDaemon(true);
        return thread;
    });

    /** From now on, messages marked {@link #UNTIL_HEALED} are handled. */
    public static void heal() {
        healed = true;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void open(PluginContext context) {
    }

    @Override
    public Outcome handle(RawRecordView view, MessageContext message) {
        int failures = view.payloadLength() > 0 ? view.payloadByte(0) : 0;
        boolean untilHealed = view.payloadLength() > 1 && view.payloadByte(1) == UNTIL_HEALED;
        if (untilHealed && !healed) {
            return Outcome.fail("NOT_HEALED", "rejected until the test heals the plugin");
        }
        if (view.payloadLength() > 1 && view.payloadByte(1) == HANGS) {
            return Outcome.later(new CompletableFuture<>());
        }
        boolean fails = message.attempt() <= failures;
        SnapshotMeta meta = message.newMeta();
        int attempt = message.attempt();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        TIMER.schedule(() -> {
            if (fails) {
                outcome.completeExceptionally(new IllegalStateException("flaky on attempt " + attempt));
            } else {
                outcome.complete(Outcome.emit(SlowPlugin.snapshot(meta, failures)));
            }
        }, ThreadLocalRandom.current().nextInt(1, 6), TimeUnit.MILLISECONDS);
        return Outcome.later(outcome);
    }
}
