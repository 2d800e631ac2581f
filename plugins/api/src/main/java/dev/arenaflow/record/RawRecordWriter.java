package dev.arenaflow.record;

import static dev.arenaflow.record.RawRecordFormat.CRC_LENGTH;
import static dev.arenaflow.record.RawRecordFormat.EVENT_TIME_OFFSET;
import static dev.arenaflow.record.RawRecordFormat.FLAGS_OFFSET;
import static dev.arenaflow.record.RawRecordFormat.FLAG_CHECKSUM;
import static dev.arenaflow.record.RawRecordFormat.MAGIC;
import static dev.arenaflow.record.RawRecordFormat.MAGIC_OFFSET;
import static dev.arenaflow.record.RawRecordFormat.MAX_SOURCE_LENGTH;
import static dev.arenaflow.record.RawRecordFormat.MAX_TYPE;
import static dev.arenaflow.record.RawRecordFormat.MIN_SOURCE_LENGTH;
import static dev.arenaflow.record.RawRecordFormat.SEQUENCE_OFFSET;
import static dev.arenaflow.record.RawRecordFormat.SOURCE_LENGTH_OFFSET;
import static dev.arenaflow.record.RawRecordFormat.SOURCE_OFFSET;
import static dev.arenaflow.record.RawRecordFormat.TYPE_OFFSET;
import static dev.arenaflow.record.RawRecordFormat.VERSION;
import static dev.arenaflow.record.RawRecordFormat.VERSION_OFFSET;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Encodes Raw Record v1 values, for producers and tests. Every value it returns is accepted by
 * {@link RawRecordView#wrap} unless its payload is above the decoder's configured maximum, which
 * the writer does not know.
 *
 * <p>Threading notes: stateless; any thread may call it.
 */
public final class RawRecordWriter {

    private RawRecordWriter() {
    }

    /**
     * Encodes one record into a new array.
     *
     * @param type the message type, 0..65535
     * @param eventTime epoch milliseconds, any value
     * @param sequence the per-source sequence number, at least 0
     * @param sourceUtf8 the source as strict UTF-8, 1..255 bytes, not null; copied
     * @param payload the payload, not null, may be empty; copied
     * @param withChecksum whether to set flag bit 0 and append a CRC32C trailer
     * @return the encoded record, owned by the caller
     * @throws IllegalArgumentException if a value breaks one of these rules; the message names it
     */
    public static byte[] encode(int type, long eventTime, long sequence, byte[] sourceUtf8, byte[] payload,
                                boolean withChecksum) {
        checkFields(type, sequence, sourceUtf8, payload);
        byte[] record = new byte[encodedLength(sourceUtf8.length, payload.length, withChecksum)];
        writeHeader(record, type, withChecksum ? FLAG_CHECKSUM : 0, eventTime, sequence, sourceUtf8.length);
        System.arraycopy(sourceUtf8, 0, record, SOURCE_OFFSET, sourceUtf8.length);
        BigEndian.writeInt(record, RawRecordFormat.payloadLengthOffset(sourceUtf8.length), payload.length);
        System.arraycopy(payload, 0, record, RawRecordFormat.payloadOffset(sourceUtf8.length), payload.length);
        if (withChecksum) {
            int covered = record.length - CRC_LENGTH;
            BigEndian.writeInt(record, covered, (int) RecordFields.computeCrc(record, 0, covered, new CRC32C()));
        }
        return record;
    }

    /**
     * Encodes one record into a new array, with the source given as text.
     *
     * @param source the source, not null, whose UTF-8 form is 1..255 bytes; no unpaired surrogates
     * @see #encode(int, long, long, byte[], byte[], boolean)
     * @return the encoded record, owned by the caller
     * @throws IllegalArgumentException if a value breaks a rule of the format
     */
    public static byte[] encode(int type, long eventTime, long sequence, String source, byte[] payload,
                                boolean withChecksum) {
        return encode(type, eventTime, sequence, strictUtf8(source), payload, withChecksum);
    }

    /**
     * @param sourceLength the source length in bytes, 1..255
     * @param payloadLength the payload length in bytes, at least 0
     * @param withChecksum whether the record has a CRC32C trailer
     * @return the length of the encoded record: {@code 28 + sourceLength + payloadLength}, plus 4 with a checksum
     * @throws IllegalArgumentException if a length is out of range or the record would not fit in an array
     */
    public static int encodedLength(int sourceLength, int payloadLength, boolean withChecksum) {
        checkSourceLength(sourceLength);
        if (payloadLength < 0) {
            throw new IllegalArgumentException("payload length must be at least 0 but was " + payloadLength);
        }
        long length = RecordFields.declaredEnd(sourceLength, payloadLength, withChecksum);
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("payload length " + payloadLength + " makes a record of " + length
                    + " bytes, more than an array holds");
        }
        return (int) length;
    }

    private static void writeHeader(byte[] record, int type, int flags, long eventTime, long sequence,
                                    int sourceLength) {
        record[MAGIC_OFFSET] = MAGIC;
        record[VERSION_OFFSET] = VERSION;
        BigEndian.writeShort(record, TYPE_OFFSET, type);
        BigEndian.writeShort(record, FLAGS_OFFSET, flags);
        BigEndian.writeLong(record, EVENT_TIME_OFFSET, eventTime);
        BigEndian.writeLong(record, SEQUENCE_OFFSET, sequence);
        BigEndian.writeShort(record, SOURCE_LENGTH_OFFSET, sourceLength);
    }

    private static void checkFields(int type, long sequence, byte[] sourceUtf8, byte[] payload) {
        if (type < 0 || type > MAX_TYPE) {
            throw new IllegalArgumentException("type " + type + " is outside 0.." + MAX_TYPE);
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence " + sequence + " is negative");
        }
        if (payload == null) {
            throw new IllegalArgumentException("payload is null; use an empty array for no payload");
        }
        checkSource(sourceUtf8);
    }

    private static void checkSource(byte[] sourceUtf8) {
        if (sourceUtf8 == null) {
            throw new IllegalArgumentException("source is null");
        }
        checkSourceLength(sourceUtf8.length);
        int invalid = StrictUtf8.firstInvalidIndex(sourceUtf8, 0, sourceUtf8.length);
        if (invalid != StrictUtf8.VALID) {
            throw new IllegalArgumentException("source " + Arrays.toString(sourceUtf8)
                    + " is not strict UTF-8 at index " + invalid);
        }
    }

    private static void checkSourceLength(int sourceLength) {
        if (sourceLength < MIN_SOURCE_LENGTH || sourceLength > MAX_SOURCE_LENGTH) {
            throw new IllegalArgumentException("source length " + sourceLength + " is outside "
                    + MIN_SOURCE_LENGTH + ".." + MAX_SOURCE_LENGTH + " bytes");
        }
    }

    // String.getBytes would silently turn an unpaired surrogate into '?', giving a different source.
    private static byte[] strictUtf8(String source) {
        if (source == null) {
            throw new IllegalArgumentException("source is null");
        }
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(source));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("source \"" + source + "\" has an unpaired surrogate", e);
        }
    }
}
