package dev.arenaflow.cli.it.support;

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.PluginContext;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.schemas.SessionSnapshot;
import dev.arenaflow.schemas.SnapshotMeta;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The {@code slow} test plugin: an async plugin that answers each message 5 to 40 ms later with
 * one {@link SessionSnapshot} whose {@code count} is the payload length. It accepts every type and
 * keeps the default limits (ordered), so many messages sit in its arena while they wait.
 *
 * <p>Threading notes: {@link #handle} runs on the stream thread and copies all it needs; the
 * completion runs on a shared scheduler thread and touches only those copies.
 */
public final class SlowPlugin implements Plugin {

    /** The plugin's name. */
    public static final String NAME = "slow";
    private static final int MIN_DELAY_MS = 5;
    private static final int MAX_DELAY_MS = 40;
    private static final ScheduledExecutorService TIMER = Executors.newScheduledThreadPool(2, task -> {
        Thread thread = new Thread(task, "slow-plugin-timer");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void open(PluginContext context) {
    }

    @Override
    public Outcome handle(RawRecordView view, MessageContext message) {
        SnapshotMeta meta = message.newMeta();
        long payloadLength = view.payloadLength();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        TIMER.schedule(() -> outcome.complete(Outcome.emit(snapshot(meta, payloadLength))),
                ThreadLocalRandom.current().nextInt(MIN_DELAY_MS, MAX_DELAY_MS + 1), TimeUnit.MILLISECONDS);
        return Outcome.later(outcome);
    }

    static SessionSnapshot snapshot(SnapshotMeta meta, long payloadLength) {
        return SessionSnapshot.newBuilder().setMeta(meta).setCount(payloadLength).setTotalPayloadBytes(0)
                .setFirstEventTime(Instant.EPOCH).setLastEventTime(Instant.EPOCH).setLastSequence(0)
                .setGaps(0).setDuplicates(0).build();
    }
}
