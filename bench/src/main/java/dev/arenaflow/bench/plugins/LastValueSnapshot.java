package dev.arenaflow.bench.plugins;

import dev.arenaflow.schemas.SnapshotMeta;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The {@code sync-last} plugin's snapshot: the sequence and event time of the source's previous
 * record, or -1 for its first.
 */
public final class LastValueSnapshot extends SpecificRecordBase {

    public static final Schema SCHEMA$ = BenchSnapshots.withLongs("LastValueSnapshot",
            "The previous record of the source of the input record named in meta; -1 for its first.",
            "previousSequence", "previousEventTime");
    // Found by SpecificData through reflection, like a generated class's.
    private static final SpecificData MODEL$ = BenchSnapshots.model();

    private SnapshotMeta meta;
    private long previousSequence;
    private long previousEventTime;

    /** For Avro's reader. */
    public LastValueSnapshot() {
    }

    LastValueSnapshot(SnapshotMeta meta, long previousSequence, long previousEventTime) {
        this.meta = meta;
        this.previousSequence = previousSequence;
        this.previousEventTime = previousEventTime;
    }

    @Override
    public Schema getSchema() {
        return SCHEMA$;
    }

    @Override
    public SpecificData getSpecificData() {
        return MODEL$;
    }

    @Override
    public Object get(int field) {
        return switch (field) {
            case 0 -> meta;
            case 1 -> previousSequence;
            case 2 -> previousEventTime;
            default -> throw new IndexOutOfBoundsException("no field " + field);
        };
    }

    @Override
    public void put(int field, Object value) {
        switch (field) {
            case 0 -> meta = (SnapshotMeta) value;
            case 1 -> previousSequence = (Long) value;
            case 2 -> previousEventTime = (Long) value;
            default -> throw new IndexOutOfBoundsException("no field " + field);
        }
    }
}
