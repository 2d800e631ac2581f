package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.PluginSpec;
import dev.arenaflow.topology.control.PluginControl;
import dev.arenaflow.topology.control.PluginControl.State;
import dev.arenaflow.topology.control.PluginStatus;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies an operator's control record for one plugin in one task: its state (enabled, paused,
 * disabled) and its setting overrides, read from the control topic's global store. Every applied
 * change, and every control record that could not be applied as asked, is reported on the status
 * topic. When the plugin's circuit breaker trips, it pauses the plugin here and, through the
 * control topic, everywhere.
 *
 * <p>Threading notes: stream thread only. The global store is filled by Kafka Streams' global
 * thread; reading it is safe from any thread.
 */
final class PluginSteering {

    private static final Logger LOG = LoggerFactory.getLogger(PluginSteering.class);
    static final long QUARANTINE_REPORT_INTERVAL_MS = 10_000;

    private final PluginSpec spec;
    private final PluginNodes nodes;
    private final ProcessorContext<byte[], Object> context;
    private final KeyValueStore<String, byte[]> controls;
    private final PluginInstance instance;
    private final Dispatcher dispatcher;
    private byte[] seen;
    private PluginControl applied = PluginControl.DEFAULT;
    private State state = State.ENABLED;
    private long skipped;
    private long trips;
    private String latestProblem;
    private int reportedQuarantined;
    private long reportedAtMs;

    PluginSteering(PluginSpec spec, PluginNodes nodes, ProcessorContext<byte[], Object> context,
                   KeyValueStore<String, byte[]> controls, PluginInstance instance, Dispatcher dispatcher) {
        this.spec = spec;
        this.nodes = nodes;
        this.context = context;
        this.controls = controls;
        this.instance = instance;
        this.dispatcher = dispatcher;
    }

    /** Applies the plugin's control record if it changed since the last look. */
    @SuppressWarnings("try")
    void check() {
        byte[] value = controls.get(spec.name());
        if (Arrays.equals(value, seen)) {
            return;
        }
        seen = value;
        PluginControl wanted;
        try {
            wanted = PluginControl.fromJson(value);
        } catch (IllegalArgumentException e) {
            LOG.warn("Plugin {} in task {}: ignoring control record {}: {}", spec.name(), context.taskId(),
                    new String(value, StandardCharsets.UTF_8), e.getMessage());
            report("control record ignored, it is not valid: " + e.getMessage());
            return;
        }
        String problem = null;
        if (!wanted.config().equals(applied.config())) {
            try {
                AbstractConfig config;
                try (ContextLoader swap = ContextLoader.swapFor(instance.plugin())) {
                    config = PluginOverrides.apply(spec, instance.plugin().configDef(), wanted.config());
                }
                boolean live = instance.reconfigure(config);
                LOG.info("Plugin {} in task {}: settings now {} ({})", spec.name(), context.taskId(),
                        ArenaflowSettings.printable(wanted.config()),
                        live ? "taken by the running instance" : "new instance opened with them");
            } catch (ConfigException e) {
                // The problem is logged and written to the status topic, so no secret value may be in it.
                problem = "settings " + ArenaflowSettings.printable(wanted.config()) + " rejected, keeping "
                        + ArenaflowSettings.printable(applied.config()) + ": "
                        + ArenaflowSettings.withoutSecrets(e.getMessage(), wanted.config());
                LOG.warn("Plugin {} in task {}: {}", spec.name(), context.taskId(), problem);
                wanted = new PluginControl(wanted.state(), applied.config(), wanted.reason(), wanted.by(), wanted.atMs());
            }
        }
        applied = wanted;
        become(wanted.state(), wanted.reason());
        report(problem);
    }

    /** @return true if the plugin is disabled, so a fresh record is skipped for it (and counted) */
    boolean skips() {
        if (state != State.DISABLED) {
            return false;
        }
        skipped++;
        return true;
    }

    /**
     * The circuit breaker tripped (the dispatcher has halted): the plugin is paused here, and a
     * control record pauses it in every instance until an operator resumes it.
     */
    void tripped(String reason) {
        trips++;
        LOG.warn("Plugin {} in task {} paused by its {}; resume it with: bin/arenaflow plugins resume {}",
                spec.name(), context.taskId(), reason, spec.name());
        long now = context.currentSystemTimeMs();
        applied = applied.withState(State.PAUSED, reason, "circuit-breaker@" + context.applicationId() + "/"
                + context.taskId(), now);
        state = State.PAUSED;
        context.forward(new Record<byte[], Object>(spec.name().getBytes(StandardCharsets.UTF_8), applied.toJson(), now),
                nodes.controlSink());
        report(reason);
    }

    State state() {
        return state;
    }

    long skipped() {
        return skipped;
    }

    long trips() {
        return trips;
    }

    private void become(State next, String reason) {
        if (next == state) {
            return;
        }
        LOG.info("Plugin {} in task {}: {} -> {}{}", spec.name(), context.taskId(), state.text(), next.text(),
                reason == null ? "" : " (" + reason + ")");
        state = next;
        if (next == State.ENABLED) {
            dispatcher.resume();
        } else {
            dispatcher.halt();
        }
    }

    /**
     * Writes a status record when the number of quarantined sources changed: at once when it goes
     * from or to 0, else at most every {@value #QUARANTINE_REPORT_INTERVAL_MS} ms, so that a
     * flapping source does not flood the status topic. The record repeats the latest problem.
     */
    void reportQuarantine() {
        int quarantined = dispatcher.quarantinedSources();
        long now = context.currentSystemTimeMs();
        if (quarantined != reportedQuarantined && (quarantined == 0 || reportedQuarantined == 0
                || now - reportedAtMs >= QUARANTINE_REPORT_INTERVAL_MS)) {
            report(latestProblem);
        }
    }

    private void report(String problem) {
        latestProblem = problem;
        reportedQuarantined = dispatcher.quarantinedSources();
        reportedAtMs = context.currentSystemTimeMs();
        PluginStatus status = new PluginStatus(spec.name(), context.applicationId(), context.taskId().toString(), state,
                problem, reportedQuarantined, reportedAtMs);
        context.forward(new Record<byte[], Object>(status.key().getBytes(StandardCharsets.UTF_8), status.toJson(),
                status.atMs()), nodes.statusSink());
    }
}
