package dev.arenaflow.topology.latest;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the latest snapshot of each source of one plugin, read back from the plugin's snapshot
 * topic: so the store holds only what was committed there (under exactly-once the topic is read
 * read_committed), in the topic's order, keyed by the record key, which is the source. A snapshot
 * record is keyed and partitioned by its source, so the store's partitions are the topic's and
 * Kafka Streams' key metadata names the instance that holds a given source.
 */
public final class LatestSnapshotWriter implements Processor<byte[], byte[], Void, Void> {

    private final String storeName;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> store;

    /** @param storeName the plugin's latest-snapshot store */
    public LatestSnapshotWriter(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        RecordMetadata where = context.recordMetadata().orElseThrow();
        store.put(new String(record.key(), StandardCharsets.UTF_8),
                new LatestSnapshot(where.partition(), where.offset(), record.timestamp(), record.value()).encode());
    }
}
