package dev.arenaflow.bench.plugins;

import dev.arenaflow.schemas.SnapshotMeta;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/** The {@code sync-count} plugin's snapshot: records seen so far from the source named in meta. */
public final class CountSnapshot extends SpecificRecordBase {

    public static final Schema SCHEMA$ = BenchSnapshots.withLongs("CountSnapshot",
            "Records seen so far from the source of the input record named in meta.", "count");
    // Found by SpecificData through reflection, like a generated class's.
    private static final SpecificData MODEL$ = BenchSnapshots.model();

    private SnapshotMeta meta;
    private long count;

    /** For Avro's reader. */
    public CountSnapshot() {
    }

    CountSnapshot(SnapshotMeta meta, long count) {
        this.meta = meta;
        this.count = count;
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
            case 1 -> count;
            default -> throw new IndexOutOfBoundsException("no field " + field);
        };
    }

    @Override
    public void put(int field, Object value) {
        switch (field) {
            case 0 -> meta = (SnapshotMeta) value;
            case 1 -> count = (Long) value;
            default -> throw new IndexOutOfBoundsException("no field " + field);
        }
    }
}
