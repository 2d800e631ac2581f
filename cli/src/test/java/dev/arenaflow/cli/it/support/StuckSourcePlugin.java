package dev.arenaflow.cli.it.support;

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.PluginContext;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.schemas.SnapshotMeta;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The {@code stuck} test plugin: async, answering each message 1 ms later with one snapshot whose
 * {@code count} is the payload length, except the messages of {@code bad.source}: those wait at a
 * {@link Gate}, named by the setting {@code gate}, until the test opens it, as calls to a backend
 * that hangs for that one key would; in a child JVM, {@code gate.file} opens it once the file
 * exists. A test can count the bad source's calls, so it knows which of
 * its messages are in flight without timing anything.
 *
 * <p>Threading notes: {@link #handle} runs on the stream thread; completions run on a shared timer
 * thread, or on the test thread that opens the gate.
 */
public final class StuckSourcePlugin implements Plugin {

    public static final String NAME = "stuck";
    public static final String BAD_SOURCE = "bad.source";
    public static final String GATE = "gate";
    /** A file whose existence opens the gate: how a test opens it in a child JVM. */
    public static final String GATE_FILE = "gate.file";
    private static final long GATE_FILE_POLL_MS = 20;
    private static final long DELAY_MS = 1;
    private static final Map<String, Gate> GATES = new ConcurrentHashMap<>();
    private static final ScheduledExecutorService TIMER = Executors.newScheduledThreadPool(1, task -> {
        Thread thread = new Thread(task, "stuck-plugin-timer");
        thread.setDaemon(true);
        return thread;
    });

    private byte[] badSource;
    private Gate gate;
    private java.util.concurrent.ScheduledFuture<?> gateFileWatch;

    /**
     * Where the bad source's calls wait: closed when created, each call held until {@link #open}.
     *
     * <p>Threading notes: thread-safe.
     */
    public static final class Gate {
        private final List<Runnable> held = new ArrayList<>();
        private int calls;
        private boolean open;

        /** @return calls of the bad source so far, held or not */
        public synchronized int calls() {
            return calls;
        }

        /** @return calls of the bad source waiting at the gate */
        public synchronized int held() {
            return held.size();
        }

        /** Completes every held call, and lets later ones through as any source's. */
        public void open() {
            List<Runnable> release;
            synchronized (this) {
                open = true;
                release = new ArrayList<>(held);
                held.clear();
            }
            release.forEach(Runnable::run);
        }

        private synchronized boolean hold(Runnable completion) {
            calls++;
            if (!open) {
                held.add(completion);
            }
            return !open;
        }
    }

    /** @return the gate of that name, closed if it is new */
    public static Gate gate(String name) {
        return GATES.computeIfAbsent(name, n -> new Gate());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConfigDef configDef() {
        return new ConfigDef()
                .define(BAD_SOURCE, Type.STRING, "", Importance.HIGH, "The source whose calls wait at the gate.")
                .define(GATE, Type.STRING, "default", Importance.HIGH, "Names the gate they wait at.")
                .define(GATE_FILE, Type.STRING, "", Importance.LOW, "The gate opens once this file exists.");
    }

    @Override
    public void open(PluginContext context) {
        String bad = context.config().getString(BAD_SOURCE);
        badSource = bad.isEmpty() ? null : bad.getBytes(StandardCharsets.UTF_8);
        gate = gate(context.config().getString(GATE));
        String file = context.config().getString(GATE_FILE);
        if (!file.isEmpty()) {
            java.nio.file.Path path = java.nio.file.Path.of(file);
            Gate watched = gate;
            gateFileWatch = TIMER.scheduleWithFixedDelay(() -> {
                if (java.nio.file.Files.exists(path)) {
                    watched.open();
                }
            }, GATE_FILE_POLL_MS, GATE_FILE_POLL_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        if (gateFileWatch != null) {
            gateFileWatch.cancel(false);
        }
    }

    @Override
    public Outcome handle(RawRecordView view, MessageContext message) {
        SnapshotMeta meta = message.newMeta();
        long payloadLength = view.payloadLength();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Runnable complete = () -> outcome.complete(Outcome.emit(SlowPlugin.snapshot(meta, payloadLength)));
        if (badSource == null || !view.sourceEquals(badSource) || !gate.hold(complete)) {
            TIMER.schedule(complete, DELAY_MS, TimeUnit.MILLISECONDS);
        }
        return Outcome.later(outcome);
    }
}
