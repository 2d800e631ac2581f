package dev.arenaflow.topology.internal;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.schemas.SnapshotMeta;
import dev.arenaflow.topology.DeadLetterHeaders;
import dev.arenaflow.topology.arena.ArenaEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a plugin's outcome on the stream thread: snapshots to the snapshot sink, keyed by
 * their source, or the original record to the dead-letter sink with the failure in its headers.
 */
final class OutcomeApplier {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeApplier.class);
    private static final String META_FIELD = "meta";

    private final String plugin;
    private final PluginNodes nodes;
    private final ProcessorContext<byte[], Object> context;

    OutcomeApplier(String plugin, PluginNodes nodes, ProcessorContext<byte[], Object> context) {
        this.plugin = plugin;
        this.nodes = nodes;
        this.context = context;
    }

    void apply(ArenaEntry entry, Outcome outcome) {
        if (outcome instanceof Outcome.Emit emit) {
            emit(entry, emit.snapshots());
        } else {
            deadLetter(entry, (Outcome.Fail) outcome);
        }
    }

    private void emit(ArenaEntry entry, List<SpecificRecord> snapshots) {
        byte[][] keys = new byte[snapshots.size()][];
        for (int i = 0; i < keys.length; i++) {
            SnapshotMeta meta = metaOf(snapshots.get(i));
            if (meta == null) {
                deadLetter(entry, (Outcome.Fail) Outcome.fail("SNAPSHOT_WITHOUT_META", "snapshot "
                        + snapshots.get(i).getSchema().getFullName() + " has no field 'meta' of type SnapshotMeta"));
                return;
            }
            keys[i] = meta.getSource().getBytes(StandardCharsets.UTF_8);
        }
        for (int i = 0; i < keys.length; i++) {
            context.forward(new Record<byte[], Object>(keys[i], snapshots.get(i), entry.timestamp()), nodes.snapshotSink());
        }
    }

    private void deadLetter(ArenaEntry entry, Outcome.Fail fail) {
        LOG.warn("Plugin {} sent {} to its dead-letter topic: {}: {}", plugin, entry.key(), fail.code(), fail.message());
        String errorClass = fail.errorClass() != null ? fail.errorClass() : Outcome.Fail.class.getName();
        DeadLetterHeaders.Failure failure = new DeadLetterHeaders.Failure(fail.code(), fail.message(), errorClass,
                plugin, entry.attempt(), entry.key().topic(), entry.key().partition(), entry.key().offset(),
                context.currentSystemTimeMs());
        context.forward(new Record<byte[], Object>(entry.recordKey(), entry.value(), entry.timestamp(),
                DeadLetterHeaders.of(entry.headers(), failure, nodes.errorMessageMaxChars())), nodes.deadLetterSink());
    }

    private static SnapshotMeta metaOf(SpecificRecord snapshot) {
        Schema.Field field = snapshot.getSchema().getField(META_FIELD);
        return field != null && snapshot.get(field.pos()) instanceof SnapshotMeta meta ? meta : null;
    }
}
