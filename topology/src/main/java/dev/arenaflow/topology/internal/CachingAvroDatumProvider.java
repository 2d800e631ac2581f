package dev.arenaflow.topology.internal;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Apicurio's default datum provider with a cache in front keyed by the schema itself. The default
 * keys its own cache by the schema's parsing fingerprint, which it computes on every call: it
 * renders the whole schema to its canonical text and hashes it, once per record serialized. That
 * was the largest single cost of a sync plugin's record on the stream thread (about a sixth of
 * its CPU time in the bench's profile). A snapshot's schema is one object per generated class, so
 * this lookup is an identity hit; a schema equal to a cached one but not the same object is
 * compared by {@link Schema#equals}, and both get the same writer as before.
 *
 * <p>Threading notes: one instance serves every stream thread of an application; the caches are
 * concurrent and hold thread-safe readers and writers.
 */
public final class CachingAvroDatumProvider<T> extends DefaultAvroDatumProvider<T> {

    /** More schemas than this are not cached here, for a producer of generic records with ever new schemas. */
    private static final int MAX_CACHED = 1000;

    private final Map<WriterKey, DatumWriter<T>> writers = new ConcurrentHashMap<>();
    private final Map<Schema, DatumReader<T>> readers = new ConcurrentHashMap<>();

    /** For Apicurio, which creates it from the {@code apicurio.registry.avro-datum-provider} setting. */
    public CachingAvroDatumProvider() {
    }

    @Override
    public DatumWriter<T> createDatumWriter(T data, Schema schema) {
        WriterKey key = new WriterKey(schema, data instanceof SpecificRecord);
        DatumWriter<T> writer = writers.get(key);
        if (writer == null) {
            writer = super.createDatumWriter(data, schema);
            if (writers.size() < MAX_CACHED) {
                writers.put(key, writer);
            }
        }
        return writer;
    }

    @Override
    public DatumReader<T> createDatumReader(Schema schema) {
        DatumReader<T> reader = readers.get(schema);
        if (reader == null) {
            reader = super.createDatumReader(schema);
            if (readers.size() < MAX_CACHED) {
                readers.put(schema, reader);
            }
        }
        return reader;
    }

    /** The default makes a specific writer for a SpecificRecord and a generic one otherwise. */
    private record WriterKey(Schema schema, boolean specific) {
    }
}
