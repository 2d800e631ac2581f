package dev.arenaflow.record;

import static dev.arenaflow.record.RawRecordFormat.CRC_LENGTH;
import static dev.arenaflow.record.RawRecordFormat.EVENT_TIME_OFFSET;
import static dev.arenaflow.record.RawRecordFormat.FIXED_LENGTH;
import static dev.arenaflow.record.RawRecordFormat.FLAGS_OFFSET;
import static dev.arenaflow.record.RawRecordFormat.FLAG_CHECKSUM;
import static dev.arenaflow.record.RawRecordFormat.SEQUENCE_OFFSET;
import static dev.arenaflow.record.RawRecordFormat.SOURCE_LENGTH_OFFSET;
import static dev.arenaflow.record.RawRecordFormat.TYPE_OFFSET;

import java.util.zip.CRC32C;

/**
 * Reads the fields of a record that starts at {@code offset}, with no checks of their own: the
 * caller has made sure the bytes are there. Shared by the checks, the view and the error details
 * so that all three read the same bytes the same way.
 */
final class RecordFields {

    private RecordFields() {
    }

    static int type(byte[] buffer, int offset) {
        return BigEndian.readUnsignedShort(buffer, offset + TYPE_OFFSET);
    }

    static int flags(byte[] buffer, int offset) {
        return BigEndian.readUnsignedShort(buffer, offset + FLAGS_OFFSET);
    }

    static boolean hasChecksum(int flags) {
        return (flags & FLAG_CHECKSUM) != 0;
    }

    static long eventTime(byte[] buffer, int offset) {
        return BigEndian.readLong(buffer, offset + EVENT_TIME_OFFSET);
    }

    static long sequence(byte[] buffer, int offset) {
        return BigEndian.readLong(buffer, offset + SEQUENCE_OFFSET);
    }

    static int sourceLength(byte[] buffer, int offset) {
        return BigEndian.readUnsignedShort(buffer, offset + SOURCE_LENGTH_OFFSET);
    }

    static long payloadLength(byte[] buffer, int offset, int sourceLength) {
        return BigEndian.readUnsignedInt(buffer, offset + RawRecordFormat.payloadLengthOffset(sourceLength));
    }

    /** In {@code long} because a payloadLen near 2^32 must not wrap around. */
    static long declaredEnd(int sourceLength, long payloadLength, boolean withChecksum) {
        return FIXED_LENGTH + sourceLength + payloadLength + (withChecksum ? CRC_LENGTH : 0);
    }

    static long storedCrc(byte[] buffer, int offset, int crcOffset) {
        return BigEndian.readUnsignedInt(buffer, offset + crcOffset);
    }

    static long computeCrc(byte[] buffer, int offset, int coveredLength, CRC32C crc) {
        crc.reset();
        crc.update(buffer, offset, coveredLength);
        return crc.getValue();
    }
}
