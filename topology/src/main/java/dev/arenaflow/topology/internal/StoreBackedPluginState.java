package dev.arenaflow.topology.internal;

import dev.arenaflow.plugin.PluginState;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/** A plugin's {@link PluginState} over its {@code state-<name>} store, keyed by the key's UTF-8. */
final class StoreBackedPluginState<V> implements PluginState<V> {

    private final KeyValueStore<Bytes, byte[]> store;
    private final Serializer<V> serializer;
    private final Deserializer<V> deserializer;
    private final String topic;

    StoreBackedPluginState(KeyValueStore<Bytes, byte[]> store, Serde<V> serde) {
        this.store = store;
        this.serializer = serde.serializer();
        this.deserializer = serde.deserializer();
        this.topic = store.name();
    }

    @Override
    public V get(String key) {
        byte[] bytes = store.get(keyOf(key));
        return bytes == null ? null : deserializer.deserialize(topic, bytes);
    }

    @Override
    public void put(String key, V value) {
        store.put(keyOf(key), serializer.serialize(topic, value));
    }

    @Override
    public void delete(String key) {
        store.delete(keyOf(key));
    }

    private static Bytes keyOf(String key) {
        return Bytes.wrap(key.getBytes(StandardCharsets.UTF_8));
    }
}
