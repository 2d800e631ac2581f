package dev.arenaflow.record;

import static dev.arenaflow.record.RawRecordFormat.CRC_LENGTH;
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

import java.util.zip.CRC32C;

/**
 * Explains a decode error in words that name the offending value. It reads the value again
 * instead of having the checks record what they saw, which keeps the checks free of allocation;
 * it runs on the error path only.
 */
final class DecodeErrorDetail {

    private static final int BYTE_MASK = 0xFF;

    private DecodeErrorDetail() {
    }

    /** @param error the error that {@link RawRecordChecks#check} found for exactly this window */
    static String describe(DecodeError error, byte[] buffer, int offset, int length, int maxPayloadLength) {
        return switch (error) {
            case EMPTY -> buffer == null ? "value is null" : "value has length 0";
            case BAD_MAGIC -> String.format("expected magic 0x%02X but found 0x%02X",
                    MAGIC & BYTE_MASK, buffer[offset + MAGIC_OFFSET] & BYTE_MASK);
            case TRUNCATED -> truncated(buffer, offset, length);
            case BAD_VERSION -> "expected version " + VERSION + " but found " + (buffer[offset + VERSION_OFFSET] & BYTE_MASK);
            case RESERVED_FLAGS -> reservedFlags(RecordFields.flags(buffer, offset));
            case BAD_SEQUENCE -> "sequence " + RecordFields.sequence(buffer, offset) + " is negative";
            case BAD_SOURCE -> badSource(buffer, offset);
            case PAYLOAD_TOO_LARGE -> "payloadLen " + payloadLength(buffer, offset) + " is above the maximum "
                    + maxPayloadLength;
            case TRAILING_BYTES -> trailingBytes(buffer, offset, length);
            case BAD_CHECKSUM -> badChecksum(buffer, offset, length);
        };
    }

    private static String truncated(byte[] buffer, int offset, int length) {
        if (length < PREAMBLE_LENGTH) {
            return "length " + length + " is below " + PREAMBLE_LENGTH + ", the end of magic and version";
        }
        if (length < HEADER_LENGTH) {
            return "length " + length + " is below the " + HEADER_LENGTH + "-byte header";
        }
        int sourceLength = RecordFields.sourceLength(buffer, offset);
        int payloadOffset = RawRecordFormat.payloadOffset(sourceLength);
        if (length < payloadOffset) {
            return "length " + length + " is below " + payloadOffset + ", the end of the " + sourceLength
                    + "-byte source and payloadLen";
        }
        return "length " + length + " is below the declared end " + declaredEnd(buffer, offset)
                + describeEnd(buffer, offset);
    }

    private static String reservedFlags(int flags) {
        return String.format("flags 0x%04X set reserved bits 0x%04X", flags, flags & RESERVED_FLAGS_MASK);
    }

    private static String badSource(byte[] buffer, int offset) {
        int sourceLength = RecordFields.sourceLength(buffer, offset);
        if (!RawRecordChecks.isSourceLengthInRange(sourceLength)) {
            return "sourceLen " + sourceLength + " is outside " + MIN_SOURCE_LENGTH + ".." + MAX_SOURCE_LENGTH;
        }
        int index = StrictUtf8.firstInvalidIndex(buffer, offset + SOURCE_OFFSET, sourceLength);
        return String.format("source is not strict UTF-8: ill-formed sequence at source index %d (byte 0x%02X)",
                index, buffer[offset + SOURCE_OFFSET + index] & BYTE_MASK);
    }

    private static String trailingBytes(byte[] buffer, int offset, int length) {
        return "length " + length + " is above the declared end " + declaredEnd(buffer, offset)
                + describeEnd(buffer, offset);
    }

    private static String badChecksum(byte[] buffer, int offset, int length) {
        int coveredLength = length - CRC_LENGTH;
        long stored = RecordFields.storedCrc(buffer, offset, coveredLength);
        long computed = RecordFields.computeCrc(buffer, offset, coveredLength, new CRC32C());
        return String.format("crc 0x%08X does not match computed 0x%08X", stored, computed);
    }

    private static String describeEnd(byte[] buffer, int offset) {
        return " (source " + RecordFields.sourceLength(buffer, offset) + ", payload " + payloadLength(buffer, offset)
                + (hasChecksum(buffer, offset) ? ", crc " + CRC_LENGTH + ")" : ")");
    }

    private static long declaredEnd(byte[] buffer, int offset) {
        return RecordFields.declaredEnd(RecordFields.sourceLength(buffer, offset), payloadLength(buffer, offset),
                hasChecksum(buffer, offset));
    }

    private static long payloadLength(byte[] buffer, int offset) {
        return RecordFields.payloadLength(buffer, offset, RecordFields.sourceLength(buffer, offset));
    }

    private static boolean hasChecksum(byte[] buffer, int offset) {
        return RecordFields.hasChecksum(RecordFields.flags(buffer, offset));
    }
}
