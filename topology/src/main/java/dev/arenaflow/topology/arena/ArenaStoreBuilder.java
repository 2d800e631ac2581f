package dev.arenaflow.topology.arena;

import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds an {@link ArenaStore} over a logged key-value store. The arena is its own cache, so
 * Kafka Streams' record cache is always off beneath it: that cache would still flush a tombstone
 * for an entry put and acknowledged within one commit interval.
 */
public final class ArenaStoreBuilder implements StoreBuilder<ArenaStore> {

    private final StoreBuilder<KeyValueStore<Bytes, byte[]>> durable;

    private ArenaStoreBuilder(StoreBuilder<KeyValueStore<Bytes, byte[]>> durable) {
        this.durable = durable;
    }

    /**
     * @param supplier the durable store, normally {@code Stores.persistentKeyValueStore(name)}
     * @return a builder of a logged arena
     */
    public static ArenaStoreBuilder arena(KeyValueBytesStoreSupplier supplier) {
        return new ArenaStoreBuilder(Stores.keyValueStoreBuilder(supplier, Serdes.Bytes(), Serdes.ByteArray())
                .withCachingDisabled());
    }

    @Override
    public StoreBuilder<ArenaStore> withCachingEnabled() {
        throw new UnsupportedOperationException("an arena is its own cache; Kafka Streams' record cache stays off");
    }

    @Override
    public StoreBuilder<ArenaStore> withCachingDisabled() {
        return this;
    }

    @Override
    public StoreBuilder<ArenaStore> withLoggingEnabled(Map<String, String> config) {
        durable.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<ArenaStore> withLoggingDisabled() {
        durable.withLoggingDisabled();
        return this;
    }

    @Override
    public ArenaStore build() {
        return new ArenaStore(durable.build());
    }

    @Override
    public Map<String, String> logConfig() {
        return durable.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return durable.loggingEnabled();
    }

    @Override
    public String name() {
        return durable.name();
    }
}
