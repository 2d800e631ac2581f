package dev.arenaflow.plugins.session;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Stores a {@link SessionAggregate} as a version byte and seven big-endian longs. */
final class SessionAggregateSerde implements Serde<SessionAggregate> {

    private static final byte VERSION = 1;
    private static final int LENGTH = 1 + 7 * Long.BYTES;

    @Override
    public Serializer<SessionAggregate> serializer() {
        return (topic, a) -> ByteBuffer.allocate(LENGTH).put(VERSION)
                .putLong(a.count()).putLong(a.totalPayloadBytes())
                .putLong(a.firstEventTime()).putLong(a.lastEventTime())
                .putLong(a.lastSequence()).putLong(a.gaps()).putLong(a.duplicates())
                .array();
    }

    @Override
    public Deserializer<SessionAggregate> deserializer() {
        return (topic, bytes) -> {
            if (bytes.length != LENGTH || bytes[0] != VERSION) {
                throw new SerializationException("session state of " + bytes.length
                        + " bytes is not version " + VERSION + " of " + LENGTH + " bytes");
            }
            ByteBuffer b = ByteBuffer.wrap(bytes, 1, LENGTH - 1);
            return new SessionAggregate(b.getLong(), b.getLong(), b.getLong(), b.getLong(),
                    b.getLong(), b.getLong(), b.getLong());
        };
    }
}
