package dev.arenaflow.record;

/**
 * The layout of a Raw Record v1 value, byte by byte, as fixed by the public contract in
 * {@code docs/raw-record-v1.md}. All integers are big-endian; offsets are from the start of the record.
 *
 * <p>The fields after the header sit at offsets that depend on the source length {@code S} and
 * the payload length {@code P}: the source at {@link #SOURCE_OFFSET}, payloadLen at
 * {@code 24 + S}, the payload at {@code 28 + S} and the optional crc at {@code 28 + S + P}.
 */
public final class RawRecordFormat {

    /** The value of the magic byte. */
    public static final byte MAGIC = (byte) 0xA5;
    /** The only version this decoder reads. */
    public static final int VERSION = 1;

    /** Offset of the magic byte. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the version byte. */
    public static final int VERSION_OFFSET = 1;
    /** Offset of the unsigned 16-bit message type. */
    public static final int TYPE_OFFSET = 2;
    /** Offset of the 16-bit flags. */
    public static final int FLAGS_OFFSET = 4;
    /** Offset of the signed 64-bit event time in epoch milliseconds. */
    public static final int EVENT_TIME_OFFSET = 6;
    /** Offset of the signed 64-bit, non-negative sequence number. */
    public static final int SEQUENCE_OFFSET = 14;
    /** Offset of the unsigned 16-bit source length. */
    public static final int SOURCE_LENGTH_OFFSET = 22;
    /** Offset of the source bytes, which is also where the fixed header ends. */
    public static final int SOURCE_OFFSET = 24;

    /** Bytes of magic and version: a shorter value cannot say which version it is. */
    public static final int PREAMBLE_LENGTH = VERSION_OFFSET + 1;
    /** Bytes of the fixed header, from magic to sourceLen inclusive. */
    public static final int HEADER_LENGTH = SOURCE_OFFSET;
    /** Size of the unsigned 32-bit payloadLen field that follows the source. */
    public static final int PAYLOAD_LENGTH_SIZE = 4;
    /** Size of the CRC32C trailer, present only when {@link #FLAG_CHECKSUM} is set. */
    public static final int CRC_LENGTH = 4;
    /** Bytes of a record apart from source, payload and crc: {@code 28}. */
    public static final int FIXED_LENGTH = HEADER_LENGTH + PAYLOAD_LENGTH_SIZE;

    /** Flag bit 0: a CRC32C trailer is present. */
    public static final int FLAG_CHECKSUM = 1;
    /** Flag bits 1 to 15, which are reserved and must be 0. */
    public static final int RESERVED_FLAGS_MASK = 0xFFFF & ~FLAG_CHECKSUM;

    /** The largest message type, as it is unsigned 16-bit. */
    public static final int MAX_TYPE = 0xFFFF;
    /** The shortest source, in UTF-8 bytes. */
    public static final int MIN_SOURCE_LENGTH = 1;
    /** The longest source, in UTF-8 bytes. */
    public static final int MAX_SOURCE_LENGTH = 255;
    /** The largest payload a decoder accepts unless configured otherwise. */
    public static final int DEFAULT_MAX_PAYLOAD_LENGTH = 1_048_576;

    private RawRecordFormat() {
    }

    /**
     * Offset of payloadLen relative to the start of the record.
     *
     * @param sourceLength S, the source length in bytes
     * @return {@code 24 + S}
     */
    public static int payloadLengthOffset(int sourceLength) {
        return SOURCE_OFFSET + sourceLength;
    }

    /**
     * Offset of the payload relative to the start of the record.
     *
     * @param sourceLength S, the source length in bytes
     * @return {@code 28 + S}
     */
    public static int payloadOffset(int sourceLength) {
        return FIXED_LENGTH + sourceLength;
    }
}
