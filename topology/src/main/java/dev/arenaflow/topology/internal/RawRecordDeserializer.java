package dev.arenaflow.topology.internal;

import dev.arenaflow.record.DecodeError;
import dev.arenaflow.record.RawRecordView;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Validates input values as Raw Record v1 and passes valid ones through as they are, uncopied.
 * A malformed value throws {@link RawRecordDecodeException}, which Kafka Streams hands to
 * {@link DecodeDeadLetterHandler}.
 *
 * <p>Threading notes: Kafka Streams shares one instance between all stream threads; it holds no
 * mutable state.
 */
public final class RawRecordDeserializer implements Deserializer<byte[]> {

    private final int maxPayloadLength;

    public RawRecordDeserializer(int maxPayloadLength) {
        this.maxPayloadLength = maxPayloadLength;
    }

    @Override
    public byte[] deserialize(String topic, byte[] data) {
        DecodeError error = RawRecordView.validate(data, 0, data == null ? 0 : data.length, maxPayloadLength);
        if (error != null) {
            throw new RawRecordDecodeException(error, new RawRecordView(maxPayloadLength).wrap(data).errorDetail());
        }
        return data;
    }
}
