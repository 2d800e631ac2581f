package dev.arenaflow.api.json;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * Writes an Avro datum as plain JSON, following its schema. Unlike Avro's own JSON encoding it
 * writes a union as the plain value, without a {@code {"type": value}} wrapper. Records become
 * objects in field order, arrays arrays, maps objects, strings and enums strings, bytes and fixed
 * standard base64. A logical type is written as its underlying Avro value, so times stay numbers:
 * timestamp-millis is epoch milliseconds, timestamp-micros epoch microseconds, date days since the
 * epoch, time-millis milliseconds of the day. The one exception is decimal, written as an exact
 * JSON number. Values converted to Java types ({@link Instant}, {@link LocalDate},
 * {@link BigDecimal} and so on, as generated classes hold them) are written the same way.
 *
 * <p>Threading notes: stateless; any thread may call it.
 */
public final class AvroJson {

    private static final long NANOS_PER_MICRO = 1_000;
    private static final long NANOS_PER_MILLI = 1_000_000;

    private AvroJson() {
    }

    /**
     * @param json where to write one JSON value
     * @param datum the value, e.g. a {@code GenericRecord}; may be null where the schema allows
     * @param schema its writer schema
     * @throws IOException if writing fails
     * @throws AvroRuntimeException if the datum does not fit the schema
     */
    public static void write(JsonGenerator json, Object datum, Schema schema) throws IOException {
        switch (schema.getType()) {
            case RECORD -> writeRecord(json, (IndexedRecord) datum, schema);
            case ARRAY -> writeArray(json, (Collection<?>) datum, schema.getElementType());
            case MAP -> writeMap(json, (Map<?, ?>) datum, schema.getValueType());
            case UNION -> write(json, datum, branch(schema, datum));
            case STRING, ENUM -> json.writeString(datum.toString());
            case BYTES, FIXED -> writeBinary(json, datum, schema);
            case INT, LONG -> writeInteger(json, datum, schema.getLogicalType());
            case FLOAT -> json.writeNumber(((Number) datum).floatValue());
            case DOUBLE -> json.writeNumber(((Number) datum).doubleValue());
            case BOOLEAN -> json.writeBoolean((Boolean) datum);
            case NULL -> json.writeNull();
            default -> throw new AvroRuntimeException("unknown Avro type " + schema.getType());
        }
    }

    private static void writeRecord(JsonGenerator json, IndexedRecord record, Schema schema) throws IOException {
        json.writeStartObject();
        for (Schema.Field field : schema.getFields()) {
            json.writeFieldName(field.name());
            write(json, record.get(field.pos()), field.schema());
        }
        json.writeEndObject();
    }

    private static void writeArray(JsonGenerator json, Collection<?> items, Schema itemSchema) throws IOException {
        json.writeStartArray();
        for (Object item : items) {
            write(json, item, itemSchema);
        }
        json.writeEndArray();
    }

    private static void writeMap(JsonGenerator json, Map<?, ?> map, Schema valueSchema) throws IOException {
        json.writeStartObject();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            json.writeFieldName(entry.getKey().toString());
            write(json, entry.getValue(), valueSchema);
        }
        json.writeEndObject();
    }

    private static void writeBinary(JsonGenerator json, Object datum, Schema schema) throws IOException {
        if (datum instanceof UUID uuid) {
            json.writeString(uuid.toString());
        } else if (schema.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
            json.writeNumber(datum instanceof BigDecimal exact ? exact : new BigDecimal(new BigInteger(bytes(datum)),
                    decimal.getScale()));
        } else {
            json.writeBinary(bytes(datum));
        }
    }

    private static byte[] bytes(Object datum) {
        if (datum instanceof GenericFixed fixed) {
            return fixed.bytes();
        }
        ByteBuffer buffer = ((ByteBuffer) datum).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static void writeInteger(JsonGenerator json, Object datum, LogicalType logicalType) throws IOException {
        if (datum instanceof Number number) {
            json.writeNumber(number.longValue());
        } else {
            json.writeNumber(underlying(datum, logicalType));
        }
    }

    /** The Avro int or long that a converted Java value stands for. */
    private static long underlying(Object datum, LogicalType logicalType) {
        String name = logicalType == null ? "" : logicalType.getName();
        if (datum instanceof Instant instant) {
            return sinceEpoch(instant, name);
        }
        if (datum instanceof LocalDateTime local) {
            return sinceEpoch(local.toInstant(ZoneOffset.UTC), name);
        }
        if (datum instanceof LocalDate date) {
            return date.toEpochDay();
        }
        if (datum instanceof LocalTime time) {
            return time.toNanoOfDay() / (name.endsWith("micros") ? NANOS_PER_MICRO : NANOS_PER_MILLI);
        }
        throw new AvroRuntimeException("cannot write " + datum.getClass().getName() + " as an Avro int or long");
    }

    private static long sinceEpoch(Instant instant, String logicalTypeName) {
        if (logicalTypeName.endsWith("micros")) {
            return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
        }
        if (logicalTypeName.endsWith("nanos")) {
            return ChronoUnit.NANOS.between(Instant.EPOCH, instant);
        }
        return instant.toEpochMilli();
    }

    /** Finds the union branch of a datum; converted Java values are matched by their logical type. */
    private static Schema branch(Schema union, Object datum) {
        try {
            return union.getTypes().get(GenericData.get().resolveUnion(union, datum));
        } catch (AvroRuntimeException unresolved) {
            return union.getTypes().stream()
                    .filter(branch -> fitsConverted(branch, datum))
                    .findFirst()
                    .orElseThrow(() -> unresolved);
        }
    }

    private static boolean fitsConverted(Schema branch, Object datum) {
        LogicalType logicalType = branch.getLogicalType();
        if (logicalType == null) {
            return false;
        }
        String name = logicalType.getName();
        return datum instanceof Instant && name.startsWith("timestamp-")
                || datum instanceof LocalDateTime && name.startsWith("local-timestamp-")
                || datum instanceof LocalDate && name.equals("date")
                || datum instanceof LocalTime && name.startsWith("time-")
                || datum instanceof BigDecimal && name.equals("decimal")
                || datum instanceof UUID && name.equals("uuid");
    }
}
