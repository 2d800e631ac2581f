package dev.arenaflow.record;

import static dev.arenaflow.record.RawRecordFormat.HEADER_LENGTH;
import static dev.arenaflow.record.RawRecordFormat.MAGIC;
import static dev.arenaflow.record.RawRecordFormat.MAGIC_OFFSET;
import static dev.arenaflow.record.RawRecordFormat.MAX_SOURCE_LENGTH;
import static dev.arenaflow.record.RawRecordFormat.MIN_SOURCE_LENGTH;
import static dev.arenaflow.record.RawRecordFormat.PREAMBLE_LENGTH;
import static dev.arenaflow.record.RawRecordFormat.RESERVED_FLAGS_MASK;
import static dev.arenaflow.record.RawRecordFormat.SOURCE_OFFSET;
import static dev.arenaflow.record.RawRecordFormat.VERSION;
import static dev.arenaflow.record.RawRecordFormat.VERSION_OFFSET;

import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The 14 checks of the Raw Record v1 contract, in the contract's order. Both
 * {@link RawRecordView#wrap} and {@link RawRecordView#validate} call this one method, so they
 * cannot disagree. No check allocates.
 */
final class RawRecordChecks {

    /*
     * validate() is called from a Kafka Deserializer that several stream threads share, so it
     * cannot own a CRC32C. One per thread costs a single allocation per thread instead of one per
     * checksummed record; a view passes its own instance and skips the lookup.
     */
    private static final ThreadLocal<CRC32C> THREAD_CRC = ThreadLocal.withInitial(CRC32C::new);

    private RawRecordChecks() {
    }

    /**
     * @param crc the checksum to reuse, or null to use this thread's
     * @return the first rule broken, or null if the record is well-formed
     * @throws IndexOutOfBoundsException if the window does not fit in a non-null buffer
     */
    static DecodeError check(byte[] buffer, int offset, int length, int maxPayloadLength, CRC32C crc) {
        if (buffer == null) {
            return DecodeError.EMPTY;
        }
        Objects.checkFromIndexSize(offset, length, buffer.length);
        DecodeError error = checkHeader(buffer, offset, length);
        return error != null ? error : checkBody(buffer, offset, length, maxPayloadLength, crc);
    }

    static boolean isSourceLengthInRange(int sourceLength) {
        return sourceLength >= MIN_SOURCE_LENGTH && sourceLength <= MAX_SOURCE_LENGTH;
    }

    /** Steps 1 to 8: everything that lies within the fixed header. */
    private static DecodeError checkHeader(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return DecodeError.EMPTY;
        }
        if (buffer[offset + MAGIC_OFFSET] != MAGIC) {
            return DecodeError.BAD_MAGIC;
        }
        if (length < PREAMBLE_LENGTH) {
            return DecodeError.TRUNCATED;
        }
        if (buffer[offset + VERSION_OFFSET] != VERSION) {
            return DecodeError.BAD_VERSION;
        }
        if (length < HEADER_LENGTH) {
            return DecodeError.TRUNCATED;
        }
        return checkHeaderFields(buffer, offset);
    }

    private static DecodeError checkHeaderFields(byte[] buffer, int offset) {
        if ((RecordFields.flags(buffer, offset) & RESERVED_FLAGS_MASK) != 0) {
            return DecodeError.RESERVED_FLAGS;
        }
        if (RecordFields.sequence(buffer, offset) < 0) {
            return DecodeError.BAD_SEQUENCE;
        }
        return isSourceLengthInRange(RecordFields.sourceLength(buffer, offset)) ? null : DecodeError.BAD_SOURCE;
    }

    /** Steps 9 to 14: source, payload, end and checksum. */
    private static DecodeError checkBody(byte[] buffer, int offset, int length, int maxPayloadLength, CRC32C crc) {
        int sourceLength = RecordFields.sourceLength(buffer, offset);
        if (length < RawRecordFormat.payloadOffset(sourceLength)) {
            return DecodeError.TRUNCATED;
        }
        if (!StrictUtf8.isValid(buffer, offset + SOURCE_OFFSET, sourceLength)) {
            return DecodeError.BAD_SOURCE;
        }
        long payloadLength = RecordFields.payloadLength(buffer, offset, sourceLength);
        if (payloadLength > maxPayloadLength) {
            return DecodeError.PAYLOAD_TOO_LARGE;
        }
        return checkEnd(buffer, offset, length, sourceLength, (int) payloadLength, crc);
    }

    private static DecodeError checkEnd(byte[] buffer, int offset, int length, int sourceLength, int payloadLength,
                                        CRC32C crc) {
        boolean withChecksum = RecordFields.hasChecksum(RecordFields.flags(buffer, offset));
        long declaredEnd = RecordFields.declaredEnd(sourceLength, payloadLength, withChecksum);
        if (length < declaredEnd) {
            return DecodeError.TRUNCATED;
        }
        if (length > declaredEnd) {
            return DecodeError.TRAILING_BYTES;
        }
        return !withChecksum || checksumMatches(buffer, offset, length, crc) ? null : DecodeError.BAD_CHECKSUM;
    }

    /** Only called once the length is exactly the declared end, so the crc is the last 4 bytes. */
    private static boolean checksumMatches(byte[] buffer, int offset, int length, CRC32C crc) {
        int coveredLength = length - RawRecordFormat.CRC_LENGTH;
        CRC32C checksum = crc != null ? crc : THREAD_CRC.get();
        return RecordFields.computeCrc(buffer, offset, coveredLength, checksum)
                == RecordFields.storedCrc(buffer, offset, coveredLength);
    }
}
