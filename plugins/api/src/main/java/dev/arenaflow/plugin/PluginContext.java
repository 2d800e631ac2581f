package dev.arenaflow.plugin;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * What arenaflow gives a plugin instance when it opens it.
 *
 * <p>Threading notes: use it on the stream thread only, inside {@code open}, {@code handle} or
 * {@code close}.
 */
public interface PluginContext {

    /**
     * The name of the plugin being opened.
     *
     * @return the plugin's name
     */
    String pluginName();

    /**
     * The plugin's configuration: the {@code plugin.<name>.*} properties without that prefix,
     * parsed and validated against {@link Plugin#configDef()}.
     *
     * @return the validated configuration; never null
     */
    AbstractConfig config();

    /**
     * The plugin's keyed state, durable through a changelog.
     *
     * @param valueSerde how values are stored; values read back are owned copies
     * @param <V> the value type
     * @return the state of this task; the same store on every call
     * @throws IllegalStateException if the plugin does not declare {@link Plugin#keepsState()}
     */
    <V> PluginState<V> state(Serde<V> valueSerde);
}
