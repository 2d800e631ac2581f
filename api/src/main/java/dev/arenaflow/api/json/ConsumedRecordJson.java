package dev.arenaflow.api.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The lines {@code arenaflow consume} prints, one JSON object per record, keys in this order:
 * <ul>
 *   <li>a dead letter: {@code topic, partition, offset, key, headers, verdict};</li>
 *   <li>a snapshot: {@code topic, partition, offset, key, value} (see {@link AvroJson});</li>
 *   <li>a value that could not be read: {@code topic, partition, offset, error}.</li>
 * </ul>
 * The key is its UTF-8 text, or standard base64 if it is not strict UTF-8, or null. Headers are
 * an object of UTF-8 texts (invalid bytes become U+FFFD), in the order they first appear; for a
 * name given more than once the last value wins, as with {@code Headers.lastHeader}.
 *
 * <p>Threading notes: stateless; any thread may call it.
 */
public final class ConsumedRecordJson {

    private static final JsonFactory JSON = new JsonFactory();

    private ConsumedRecordJson() {
    }

    /** Writes the body of one line. */
    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    /**
     * @param record a dead-letter record
     * @param verdictJson the {@code inspect} verdict on its value, a JSON object, inserted as it is
     * @return the line, without a line end
     */
    public static String deadLetter(ConsumerRecord<byte[], byte[]> record, String verdictJson) {
        return line(record, json -> {
            writeKey(json, record.key());
            json.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> header : headerTexts(record).entrySet()) {
                json.writeStringField(header.getKey(), header.getValue());
            }
            json.writeEndObject();
            json.writeFieldName("verdict");
            json.writeRawValue(verdictJson);
        });
    }

    /**
     * @param record a snapshot record
     * @param value its deserialized value: an Avro container, null, or a plain value such as a string
     * @return the line, without a line end
     */
    public static String snapshot(ConsumerRecord<byte[], byte[]> record, Object value) {
        return line(record, json -> {
            writeKey(json, record.key());
            json.writeFieldName("value");
            if (value instanceof GenericContainer container) {
                AvroJson.write(json, container, container.getSchema());
            } else {
                writePlain(json, value);
            }
        });
    }

    private static void writePlain(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            json.writeBinary(bytes);
        } else if (value instanceof Number || value instanceof Boolean) {
            json.writeObject(value);
        } else {
            json.writeString(value.toString());
        }
    }

    /**
     * @param record a record whose value could not be read
     * @param message why
     * @return the line, without a line end
     */
    public static String error(ConsumerRecord<byte[], byte[]> record, String message) {
        return line(record, json -> json.writeStringField("error", message));
    }

    /**
     * @param key a record key, may be null
     * @return its strict UTF-8 text, else its base64, or null
     */
    public static String keyText(byte[] key) {
        if (key == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException e) {
            return Base64.getEncoder().encodeToString(key);
        }
    }

    private static Map<String, String> headerTexts(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            texts.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        return texts;
    }

    private static void writeKey(JsonGenerator json, byte[] key) throws IOException {
        json.writeStringField("key", keyText(key));
    }

    private static String line(ConsumerRecord<byte[], byte[]> record, Body body) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("topic", record.topic());
            json.writeNumberField("partition", record.partition());
            json.writeNumberField("offset", record.offset());
            body.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
