package dev.arenaflow.topology.internal;

import dev.arenaflow.plugin.PluginState;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A plugin's {@link PluginState} over its {@code state-<name>} store, keyed by the key's UTF-8.
 *
 * <p>Threading notes: only the stream thread that created it may use it; any other thread, such
 * as one completing an async plugin's stage, gets an {@link IllegalStateException}, because a
 * state store is not thread-safe and a write from there would bypass the commit.
 */
final class StoreBackedPluginState<V> implements PluginState<V> {

    private final KeyValueStore<Bytes, byte[]> store;
    private final Serializer<V> serializer;
    private final Deserializer<V> deserializer;
    private final String topic;
    private final Thread owner = Thread.currentThread();

    StoreBackedPluginState(KeyValueStore<Bytes, byte[]> store, Serde<V> serde) {
        this.store = store;
        this.serializer = serde.serializer();
        this.deserializer = serde.deserializer();
        this.topic = store.name();
    }

    @Override
    public V get(String key) {
        checkThread();
        byte[] bytes = store.get(keyOf(key));
        return bytes == null ? null : deserializer.deserialize(topic, bytes);
    }

    @Override
    public void put(String key, V value) {
        checkThread();
        store.put(keyOf(key), serializer.serialize(topic, value));
    }

    @Override
    public void delete(String key) {
        checkThread();
        store.delete(keyOf(key));
    }

    private void checkThread() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("plugin state " + topic + " used from thread " + Thread.currentThread().getName()
                    + "; only the stream thread " + owner.getName() + " may use it, inside open, handle or close");
        }
    }

    private static Bytes keyOf(String key) {
        return Bytes.wrap(key.getBytes(StandardCharsets.UTF_8));
    }
}
