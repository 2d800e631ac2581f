package dev.arenaflow.bench.soak;

import dev.arenaflow.plugins.session.SessionPlugin;
import dev.arenaflow.schemas.SessionSnapshot;
import dev.arenaflow.schemas.SnapshotMeta;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.SnapshotSerdes;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/** Registers the session snapshot schema before the instances start, so that two do not race to. */
final class SoakSchema {

    private SoakSchema() {
    }

    static void register(String registryUrl, String snapshotTopic) {
        try (Serializer<SpecificRecord> serializer = SnapshotSerdes.serializer(
                Map.of(ArenaflowConfig.REGISTRY_URL, registryUrl))) {
            SnapshotMeta meta = new SnapshotMeta(SessionPlugin.NAME, "none", 0L, 0, Instant.EPOCH, "none", 0, 0L, 1);
            // Serializing registers the schema; the bytes themselves are not needed.
            byte[] registered = serializer.serialize(snapshotTopic, new SessionSnapshot(meta, 0L, 0L, Instant.EPOCH,
                    Instant.EPOCH, 0L, 0L, 0L));
            if (registered == null || registered.length == 0) {
                throw new IllegalStateException("the registry gave no schema id for " + snapshotTopic);
            }
        }
    }
}
