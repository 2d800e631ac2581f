package dev.arenaflow.plugin;

/**
 * A plugin's own keyed state in one stream task, backed by a changelogged state store.
 *
 * <p>Keys are partitioned like the input, so a plugin that keys its state by source sees all of a
 * source's state in the task that handles that source. Threading notes: stream thread only.
 *
 * @param <V> the value type
 */
public interface PluginState<V> {

    /**
     * Reads a value.
     *
     * @param key the key; not null
     * @return an owned copy of the value, or null when absent
     */
    V get(String key);

    /**
     * Writes a value, replacing any earlier one.
     *
     * @param key the key; not null
     * @param value the value; not null (use {@link #delete})
     */
    void put(String key, V value);

    /**
     * Removes a value if present.
     *
     * @param key the key; not null
     */
    void delete(String key);
}
