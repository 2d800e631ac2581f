package dev.arenaflow.topology.latest;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What a latest-snapshot store holds per source: the snapshot record's value, byte for byte as on
 * its topic (Confluent framing, Avro binary), and where it stands there.
 *
 * <p>Stored as {@code partition (4 bytes) | offset (8) | timestamp (8) | value}, big-endian.
 *
 * @param partition its partition of the snapshot topic
 * @param offset its offset there
 * @param timestampMs its record timestamp
 * @param value the record value, exactly as on the topic
 */
public record LatestSnapshot(int partition, long offset, long timestampMs, byte[] value) {

    private static final int HEADER = Integer.BYTES + Long.BYTES + Long.BYTES;

    /** @return the stored form */
    public byte[] encode() {
        return ByteBuffer.allocate(HEADER + value.length).putInt(partition).putLong(offset).putLong(timestampMs)
                .put(value).array();
    }

    /**
     * @param stored what {@link #encode} wrote
     * @return the snapshot
     * @throws IllegalArgumentException if it is shorter than the header
     */
    public static LatestSnapshot decode(byte[] stored) {
        if (stored.length < HEADER) {
            throw new IllegalArgumentException("a stored latest snapshot has at least " + HEADER + " bytes, not "
                    + stored.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(stored);
        return new LatestSnapshot(buffer.getInt(), buffer.getLong(), buffer.getLong(),
                Arrays.copyOfRange(stored, HEADER, stored.length));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LatestSnapshot that && partition == that.partition && offset == that.offset
                && timestampMs == that.timestampMs && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(offset) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "LatestSnapshot[" + partition + "@" + offset + ", " + value.length + " bytes]";
    }
}
