package dev.arenaflow.api;

import dev.arenaflow.api.json.ConsumedRecordJson;
import dev.arenaflow.api.v1.Snapshot;
import dev.arenaflow.api.v1.SnapshotMeta;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Turns a snapshot record, as read from its topic, into the {@link Snapshot} the API sends: the
 * exact bytes, the schema id from their framing, the {@code meta} fields, and the JSON line
 * {@code arenaflow consume} prints for the same record.
 *
 * <p>Threading notes: not thread-safe (it owns a deserializer); one per reading thread.
 */
public final class SnapshotConverter implements AutoCloseable {

    private final String plugin;
    private final Deserializer<Object> values;

    /**
     * @param plugin the plugin whose snapshots these are
     * @param values the registry-backed generic deserializer of snapshot values
     */
    public SnapshotConverter(String plugin, Deserializer<Object> values) {
        this.plugin = plugin;
        this.values = values;
    }

    /**
     * @param record a record of the plugin's snapshot topic
     * @return it as the API sends it
     * @throws RuntimeException if the value cannot be read (for example the registry is unreachable)
     */
    public Snapshot convert(ConsumerRecord<byte[], byte[]> record) {
        Object value = values.deserialize(record.topic(), record.headers(), record.value());
        Snapshot.Builder snapshot = Snapshot.newBuilder()
                .setPlugin(plugin)
                .setSource(record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8))
                .setSchemaId(schemaId(record.value()))
                .setAvro(ByteString.copyFrom(record.value()))
                .setJson(ConsumedRecordJson.snapshot(record, value))
                .setTopic(record.topic())
                .setPartition(record.partition())
                .setOffset(record.offset())
                .setTimestampMs(record.timestamp());
        if (value instanceof GenericRecord avro && avro.hasField("meta") && avro.get("meta") instanceof GenericRecord meta) {
            snapshot.setMeta(meta(meta));
        }
        return snapshot.build();
    }

    /** The id in the Confluent framing: magic byte 0, then 4 bytes, big-endian; -1 without it. */
    static long schemaId(byte[] value) {
        if (value == null || value.length < 5 || value[0] != 0) {
            return -1;
        }
        return ByteBuffer.wrap(value, 1, 4).getInt() & 0xFFFF_FFFFL;
    }

    private static SnapshotMeta meta(GenericRecord meta) {
        return SnapshotMeta.newBuilder()
                .setPlugin(text(meta.get("plugin")))
                .setSource(text(meta.get("source")))
                .setSequence(number(meta.get("sequence")))
                .setType((int) number(meta.get("type")))
                .setEventTimeMs(number(meta.get("eventTime")))
                .setInputTopic(text(meta.get("inputTopic")))
                .setInputPartition((int) number(meta.get("inputPartition")))
                .setInputOffset(number(meta.get("inputOffset")))
                .setAttempt((int) number(meta.get("attempt")))
                .build();
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    /** A timestamp-millis field reads as a long, or as an Instant where conversions are on. */
    private static long number(Object value) {
        if (value instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        return value instanceof Number n ? n.longValue() : 0;
    }

    @Override
    public void close() {
        values.close();
    }
}
