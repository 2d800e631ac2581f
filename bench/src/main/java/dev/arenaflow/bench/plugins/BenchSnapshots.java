package dev.arenaflow.bench.plugins;

import dev.arenaflow.schemas.SnapshotMeta;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.specific.SpecificData;

/**
 * Schemas of the bench plugins' snapshots. Written by hand rather than generated: the Avro Maven
 * plugin would also generate {@code SnapshotMeta} again, a second copy of a class the schemas
 * module already owns.
 */
final class BenchSnapshots {

    static final String NAMESPACE = "dev.arenaflow.bench.plugins";

    private BenchSnapshots() {
    }

    /** @return a record schema of {@code meta} followed by the given long fields */
    static Schema withLongs(String name, String doc, String... longFields) {
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record(name).namespace(NAMESPACE).doc(doc)
                .fields().name("meta").type(SnapshotMeta.getClassSchema()).noDefault();
        for (String field : longFields) {
            fields = fields.requiredLong(field);
        }
        return fields.endRecord();
    }

    /** As generated classes do: {@code SnapshotMeta.eventTime} is an {@code Instant}, written as timestamp-millis. */
    static SpecificData model() {
        SpecificData model = new SpecificData();
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        return model;
    }
}
