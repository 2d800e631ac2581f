package dev.arenaflow.bench.decode;

/**
 * What {@link CopyingDecoder} returns: an owned copy of every field of one record.
 *
 * @param type unsigned 16-bit message type
 * @param flags the flags; only bit 0 can be set
 * @param eventTime epoch milliseconds
 * @param sequence the per-source sequence number
 * @param source the source, decoded
 * @param payload a copy of the payload
 * @param checksum whether a CRC32C trailer was present and verified
 */
public record DecodedRecord(int type, int flags, long eventTime, long sequence, String source, byte[] payload,
                            boolean checksum) {
}
