package dev.arenaflow.topology.arena;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * The input position of an arena entry: its identity, since one input record is one message.
 *
 * @param topic input topic
 * @param partition input partition
 * @param offset input offset
 */
public record ArenaKey(String topic, int partition, long offset) {

    private static final int FIXED_LENGTH = Integer.BYTES + Long.BYTES;

    /** @return the store key: partition, offset, then the topic's UTF-8, so one partition sorts by offset */
    Bytes toBytes() {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(FIXED_LENGTH + name.length)
                .putInt(partition).putLong(offset).put(name).array());
    }

    static ArenaKey fromBytes(Bytes key) {
        ByteBuffer b = ByteBuffer.wrap(key.get());
        int partition = b.getInt();
        long offset = b.getLong();
        return new ArenaKey(new String(key.get(), FIXED_LENGTH, key.get().length - FIXED_LENGTH,
                StandardCharsets.UTF_8), partition, offset);
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
