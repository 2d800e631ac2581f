package dev.arenaflow.record;

/**
 * Why a value is not a well-formed Raw Record v1. The decoder checks the rules in a fixed order
 * (see {@code docs/raw-record-v1.md}) and reports the first one broken, so a value always maps to one code.
 *
 * <p>The names are a public contract: they appear in the {@code arenaflow.error.code} header of
 * decode dead letters and in the output of {@code arenaflow inspect}.
 */
public enum DecodeError {

    /** Step 1: the value is null or has length 0. */
    EMPTY,
    /** Step 2: byte 0 is not {@code 0xA5}. */
    BAD_MAGIC,
    /**
     * Steps 3, 5, 9 and 12: the value ends before 2 bytes, before the 24-byte header, before the
     * source and payloadLen ({@code 28+S}), or before the declared end ({@code 28+S+P}, plus 4
     * with a checksum).
     */
    TRUNCATED,
    /** Step 4: byte 1 is not 1. */
    BAD_VERSION,
    /** Step 6: one of the reserved flag bits 1 to 15 is set. */
    RESERVED_FLAGS,
    /** Step 7: the sequence is negative. */
    BAD_SEQUENCE,
    /** Steps 8 and 10: sourceLen is outside 1..255, or the source is not strict UTF-8. */
    BAD_SOURCE,
    /** Step 11: payloadLen, read as unsigned 32-bit, is above the configured maximum. */
    PAYLOAD_TOO_LARGE,
    /** Step 13: the value goes on past the declared end. */
    TRAILING_BYTES,
    /** Step 14: the checksum flag is set and the CRC32C trailer does not match bytes [0, 28+S+P). */
    BAD_CHECKSUM
}
