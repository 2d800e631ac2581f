package dev.arenaflow.bench.async;

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.PluginContext;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.schemas.SessionSnapshot;
import dev.arenaflow.schemas.SnapshotMeta;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The {@code delay} bench plugin: simulated I/O of a fixed latency, then one snapshot per input.
 * The I/O is a completion scheduled {@code latency.ms} later on a timer, so no thread waits for it,
 * as with a non-blocking client. {@code blocking=true} sleeps in {@code handle} instead (the
 * synchronous way to do the same work); {@code hold=true} completes nothing, so every message
 * stays pending in the arena.
 *
 * <p>One source may be made bad ({@code bad.source}, the stuck section's scenarios): its calls
 * complete after {@code bad.latency.ms} instead, or never with {@code bad.hold=true}, so that each of
 * its attempts runs into the plugin's {@code timeout.ms}. Every other source is unaffected.
 *
 * <p>Threading notes: {@link #handle} runs on the stream thread and copies what it needs; the
 * completion runs on this instance's timer thread and touches only those copies.
 */
public final class DelayPlugin implements Plugin {

    /** The plugin's name. */
    public static final String NAME = "delay";
    public static final String LATENCY_MS = "latency.ms";
    public static final String BLOCKING = "blocking";
    public static final String HOLD = "hold";
    public static final String BAD_SOURCE = "bad.source";
    public static final String BAD_LATENCY_MS = "bad.latency.ms";
    public static final String BAD_HOLD = "bad.hold";

    private long latencyMs;
    private boolean blocking;
    private boolean hold;
    private byte[] badSource;
    private long badLatencyMs;
    private boolean badHold;
    private ScheduledExecutorService timer;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConfigDef configDef() {
        return new ConfigDef()
                .define(LATENCY_MS, Type.LONG, 20L, Range.atLeast(0), Importance.HIGH, "Simulated I/O latency.")
                .define(BLOCKING, Type.BOOLEAN, false, Importance.HIGH, "Sleep in handle instead of completing later.")
                .define(HOLD, Type.BOOLEAN, false, Importance.HIGH, "Complete nothing: messages stay pending.")
                .define(BAD_SOURCE, Type.STRING, "", Importance.MEDIUM, "A source whose calls behave as bad.*; "
                        + "empty: none.")
                .define(BAD_LATENCY_MS, Type.LONG, 5000L, Range.atLeast(0), Importance.MEDIUM,
                        "Latency of the bad source's calls.")
                .define(BAD_HOLD, Type.BOOLEAN, false, Importance.MEDIUM,
                        "The bad source's calls never complete, so they time out.");
    }

    @Override
    public void open(PluginContext context) {
        AbstractConfig config = context.config();
        latencyMs = config.getLong(LATENCY_MS);
        blocking = config.getBoolean(BLOCKING);
        hold = config.getBoolean(HOLD);
        String bad = config.getString(BAD_SOURCE);
        badSource = bad.isEmpty() ? null : bad.getBytes(StandardCharsets.UTF_8);
        badLatencyMs = config.getLong(BAD_LATENCY_MS);
        badHold = config.getBoolean(BAD_HOLD);
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "delay-plugin-timer-" + context.pluginName());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Outcome handle(RawRecordView view, MessageContext message) {
        SnapshotMeta meta = message.newMeta();
        long payloadBytes = view.payloadLength();
        if (blocking) {
            sleep();
            return Outcome.emit(snapshot(meta, payloadBytes));
        }
        boolean bad = badSource != null && view.sourceEquals(badSource);
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        if (bad ? !badHold : !hold) {
            timer.schedule(() -> outcome.complete(Outcome.emit(snapshot(meta, payloadBytes))),
                    bad ? badLatencyMs : latencyMs, TimeUnit.MILLISECONDS);
        }
        return Outcome.later(outcome);
    }

    private void sleep() {
        try {
            Thread.sleep(latencyMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return a snapshot of one message; only {@code meta} matters to the bench */
    public static SessionSnapshot snapshot(SnapshotMeta meta, long payloadBytes) {
        return SessionSnapshot.newBuilder().setMeta(meta).setCount(1).setTotalPayloadBytes(payloadBytes)
                .setFirstEventTime(meta.getEventTime()).setLastEventTime(meta.getEventTime())
                .setLastSequence(meta.getSequence()).setGaps(0).setDuplicates(0).build();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
