package dev.arenaflow.cli.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.arenaflow.record.RawRecordFormat;
import dev.arenaflow.record.RawRecordWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

/**
 * Parses the input lines of {@code arenaflow produce}: one JSON object per line,
 * {@code {"type":7,"eventTime":1764000000123,"sequence":42,"source":"dev-1","payload":"<base64>"}}
 * with an optional {@code "checksum": true|false} (default true), into an encoded Raw Record v1
 * keyed by its source. Unknown and repeated fields are rejected, so a typo is not silently ignored.
 *
 * <p>Threading notes: stateless; any thread may call it.
 */
public final class JsonRecordLine {

    static final List<String> FIELDS = List.of("type", "eventTime", "sequence", "source", "payload", "checksum");
    private static final int MAX_SHOWN_CHARS = 40;
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonRecordLine() {
    }

    /**
     * The outcome of one line: exactly one of {@code record} and {@code problem} is set, or
     * neither for a blank line.
     *
     * @param record the record to produce
     * @param problem what is wrong with the line, without the line number
     */
    public record Parsed(OutgoingRecord record, String problem) {

        static final Parsed BLANK = new Parsed(null, null);

        /** @return true for a line of whitespace only, which is skipped without complaint */
        public boolean blank() {
            return record == null && problem == null;
        }
    }

    /** Thrown inside the parser to report the first problem found. */
    private static final class BadLine extends Exception {

        private static final long serialVersionUID = 1L;

        BadLine(String problem) {
            super(problem, null, false, false);
        }
    }

    /**
     * @param line the line's bytes as UTF-8, without its line end; not kept
     * @param length how many of them belong to the line
     * @return the record, the problem, or a blank result
     */
    public static Parsed parse(byte[] line, int length) {
        if (isBlank(line, length)) {
            return Parsed.BLANK;
        }
        try {
            return new Parsed(toRecord(readObject(line, length)), null);
        } catch (BadLine e) {
            return new Parsed(null, e.getMessage());
        }
    }

    /** @see #parse(byte[], int) */
    public static Parsed parse(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return parse(bytes, bytes.length);
    }

    private static JsonNode readObject(byte[] line, int length) throws BadLine {
        JsonNode node;
        try {
            node = MAPPER.readTree(line, 0, length);
        } catch (JsonProcessingException e) {
            throw new BadLine("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadLine("not valid JSON: " + e.getMessage());
        }
        if (!node.isObject()) {
            throw new BadLine("expected a JSON object but found " + describe(node));
        }
        rejectUnknownFields(node);
        return node;
    }

    private static void rejectUnknownFields(JsonNode node) throws BadLine {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new BadLine("unknown field " + describe(TextNode.valueOf(name)) + "; the fields are "
                        + String.join(", ", FIELDS));
            }
        }
    }

    private static OutgoingRecord toRecord(JsonNode node) throws BadLine {
        int type = (int) integer(node, "type", 0, RawRecordFormat.MAX_TYPE,
                "an integer in 0.." + RawRecordFormat.MAX_TYPE);
        long eventTime = integer(node, "eventTime", Long.MIN_VALUE, Long.MAX_VALUE, "an integer (epoch milliseconds)");
        long sequence = integer(node, "sequence", 0, Long.MAX_VALUE, "an integer of at least 0");
        byte[] source = source(required(node, "source"));
        byte[] payload = payload(required(node, "payload"));
        boolean checksum = checksum(node.get("checksum"));
        byte[] value = RawRecordWriter.encode(type, eventTime, sequence, source, payload, checksum);
        return new OutgoingRecord(source, value, null);
    }

    private static JsonNode required(JsonNode node, String field) throws BadLine {
        JsonNode value = node.get(field);
        if (value == null) {
            throw new BadLine("missing field " + quote(field));
        }
        return value;
    }

    private static long integer(JsonNode node, String field, long min, long max, String expected) throws BadLine {
        JsonNode value = required(node, field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()
                || value.asLong() < min || value.asLong() > max) {
            throw new BadLine(quote(field) + " must be " + expected + " but was " + describe(value));
        }
        return value.asLong();
    }

    private static byte[] source(JsonNode value) throws BadLine {
        if (!value.isTextual()) {
            throw new BadLine("\"source\" must be a string but was " + describe(value));
        }
        byte[] utf8 = strictUtf8(value.textValue());
        if (utf8.length < RawRecordFormat.MIN_SOURCE_LENGTH || utf8.length > RawRecordFormat.MAX_SOURCE_LENGTH) {
            throw new BadLine("\"source\" must be " + RawRecordFormat.MIN_SOURCE_LENGTH + ".."
                    + RawRecordFormat.MAX_SOURCE_LENGTH + " UTF-8 bytes but has " + utf8.length);
        }
        return utf8;
    }

    private static byte[] strictUtf8(String text) throws BadLine {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new BadLine("\"source\" is not valid Unicode: it has an unpaired surrogate");
        }
    }

    private static byte[] payload(JsonNode value) throws BadLine {
        if (!value.isTextual()) {
            throw new BadLine("\"payload\" must be a base64 string but was " + describe(value));
        }
        try {
            return Base64.getDecoder().decode(value.textValue());
        } catch (IllegalArgumentException e) {
            throw new BadLine("\"payload\" is not valid base64: " + e.getMessage());
        }
    }

    private static boolean checksum(JsonNode value) throws BadLine {
        if (value == null) {
            return true;
        }
        if (!value.isBoolean()) {
            throw new BadLine("\"checksum\" must be true or false but was " + describe(value));
        }
        return value.booleanValue();
    }

    private static String describe(JsonNode value) {
        String text = value.isContainerNode() ? (value.isArray() ? "an array" : "an object") : value.toString();
        return text.length() <= MAX_SHOWN_CHARS ? text : text.substring(0, MAX_SHOWN_CHARS) + "...";
    }

    private static String quote(String name) {
        return "\"" + name + "\"";
    }

    private static boolean isBlank(byte[] line, int length) {
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
