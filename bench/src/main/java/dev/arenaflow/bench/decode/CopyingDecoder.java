package dev.arenaflow.bench.decode;

import static dev.arenaflow.record.RawRecordFormat.CRC_LENGTH;
import static dev.arenaflow.record.RawRecordFormat.FLAG_CHECKSUM;
import static dev.arenaflow.record.RawRecordFormat.HEADER_LENGTH;
import static dev.arenaflow.record.RawRecordFormat.MAGIC;
import static dev.arenaflow.record.RawRecordFormat.MAX_SOURCE_LENGTH;
import static dev.arenaflow.record.RawRecordFormat.MIN_SOURCE_LENGTH;
import static dev.arenaflow.record.RawRecordFormat.PREAMBLE_LENGTH;
import static dev.arenaflow.record.RawRecordFormat.RESERVED_FLAGS_MASK;
import static dev.arenaflow.record.RawRecordFormat.VERSION;

import dev.arenaflow.record.DecodeError;
import dev.arenaflow.record.RawRecordFormat;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The baseline for the {@code decode} benchmark: how Raw Record v1 is conventionally decoded,
 * reading a {@link ByteBuffer} into an owned object. It makes the same checks in the same order as
 * {@code RawRecordView.wrap}, and is written to be fast within that style: the CRC32C, the UTF-8
 * decoder and its char buffer are reused, and nothing is allocated but the result, its source
 * string and its payload copy. What it cannot avoid is the point of the comparison.
 *
 * <p>Threading notes: an instance is confined to one thread, like a view.
 */
public final class CopyingDecoder {

    private final int maxPayloadLength;
    private final CRC32C crc = new CRC32C();
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    // UTF-8 never decodes to more UTF-16 chars than it has bytes.
    private final CharBuffer chars = CharBuffer.allocate(MAX_SOURCE_LENGTH);

    /** @param maxPayloadLength the largest payloadLen accepted */
    public CopyingDecoder(int maxPayloadLength) {
        this.maxPayloadLength = maxPayloadLength;
    }

    /**
     * Decodes the record between the buffer's position and limit, consuming them.
     *
     * @param value the record; its position and limit change
     * @return the record's fields, owned by the caller
     * @throws MalformedRecordException naming the first rule the record breaks
     */
    public DecodedRecord decode(ByteBuffer value) {
        int start = value.position();
        int length = value.remaining();
        checkPreamble(value, length);
        int type = Short.toUnsignedInt(value.getShort());
        int flags = Short.toUnsignedInt(value.getShort());
        long eventTime = value.getLong();
        long sequence = value.getLong();
        int sourceLength = Short.toUnsignedInt(value.getShort());
        checkHeader(flags, sequence, sourceLength);
        require(length >= RawRecordFormat.payloadOffset(sourceLength), DecodeError.TRUNCATED);
        String source = decodeSource(value, sourceLength);
        byte[] payload = readPayload(value, length, sourceLength, flags);
        boolean checksum = (flags & FLAG_CHECKSUM) != 0;
        if (checksum) {
            checkCrc(value, start);
        }
        return new DecodedRecord(type, flags, eventTime, sequence, source, payload, checksum);
    }

    private static void checkPreamble(ByteBuffer value, int length) {
        require(length > 0, DecodeError.EMPTY);
        require(value.get() == MAGIC, DecodeError.BAD_MAGIC);
        require(length >= PREAMBLE_LENGTH, DecodeError.TRUNCATED);
        require(value.get() == VERSION, DecodeError.BAD_VERSION);
        require(length >= HEADER_LENGTH, DecodeError.TRUNCATED);
    }

    private static void checkHeader(int flags, long sequence, int sourceLength) {
        require((flags & RESERVED_FLAGS_MASK) == 0, DecodeError.RESERVED_FLAGS);
        require(sequence >= 0, DecodeError.BAD_SEQUENCE);
        require(sourceLength >= MIN_SOURCE_LENGTH && sourceLength <= MAX_SOURCE_LENGTH, DecodeError.BAD_SOURCE);
    }

    private String decodeSource(ByteBuffer value, int sourceLength) {
        int limit = value.limit();
        value.limit(value.position() + sourceLength);
        utf8.reset();
        chars.clear();
        CoderResult result = utf8.decode(value, chars, true);
        value.limit(limit);
        require(result.isUnderflow() && utf8.flush(chars).isUnderflow(), DecodeError.BAD_SOURCE);
        return chars.flip().toString();
    }

    private byte[] readPayload(ByteBuffer value, int length, int sourceLength, int flags) {
        long payloadLength = Integer.toUnsignedLong(value.getInt());
        require(payloadLength <= maxPayloadLength, DecodeError.PAYLOAD_TOO_LARGE);
        long end = RawRecordFormat.payloadOffset(sourceLength) + payloadLength
                + ((flags & FLAG_CHECKSUM) != 0 ? CRC_LENGTH : 0);
        require(length >= end, DecodeError.TRUNCATED);
        require(length == end, DecodeError.TRAILING_BYTES);
        byte[] payload = new byte[(int) payloadLength];
        value.get(payload);
        return payload;
    }

    /** Runs the CRC over the buffer itself, by moving its window, rather than over a slice it would allocate. */
    private void checkCrc(ByteBuffer value, int start) {
        int crcOffset = value.position();
        int limit = value.limit();
        crc.reset();
        crc.update(value.position(start).limit(crcOffset));
        value.limit(limit);
        require((int) crc.getValue() == value.getInt(), DecodeError.BAD_CHECKSUM);
    }

    private static void require(boolean ok, DecodeError error) {
        if (!ok) {
            throw new MalformedRecordException(error);
        }
    }

    /** A record that breaks the contract; {@link #error()} says which rule. */
    public static final class MalformedRecordException extends RuntimeException {
        private final DecodeError error;

        MalformedRecordException(DecodeError error) {
            super(error.name());
            this.error = error;
        }

        /** @return the rule the record breaks */
        public DecodeError error() {
            return error;
        }
    }
}
