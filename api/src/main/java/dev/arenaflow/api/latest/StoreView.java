package dev.arenaflow.api.latest;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.common.serialization.Serializer;

/** The two Interactive Queries calls {@link LatestSnapshots} makes, so tests can stand in for Kafka Streams. */
public interface StoreView {

    /** As {@link KafkaStreams#queryMetadataForKey(String, Object, Serializer)}. */
    KeyQueryMetadata metadata(String store, String key, Serializer<String> keys);

    /** As {@link KafkaStreams#query(StateQueryRequest)}. */
    StateQueryResult<byte[]> query(StateQueryRequest<byte[]> request);

    /**
     * @param streams a Kafka Streams instance
     * @return its view
     */
    static StoreView of(KafkaStreams streams) {
        return new StoreView() {
            @Override
            public KeyQueryMetadata metadata(String store, String key, Serializer<String> keys) {
                return streams.queryMetadataForKey(store, key, keys);
            }

            @Override
            public StateQueryResult<byte[]> query(StateQueryRequest<byte[]> request) {
                return streams.query(request);
            }
        };
    }
}
